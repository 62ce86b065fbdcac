/** POSTs operations to the gateway at `url` as `token` (optionally acting on an account); throws on GraphQL errors. */
export function gatewayPoster(url: string) {
  return async (token: string, query: string, variables: Record<string, unknown> = {}, accountId?: string) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    if (accountId) headers['x-account-id'] = accountId;
    const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await res.json()) as { data?: any; errors?: unknown[] };
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data;
  };
}
