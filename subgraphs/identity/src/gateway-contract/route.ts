import type { RouteContract } from '@cockpit/contracts';
import { invalidRequest, internalRoute, type InternalRoute, type Principal } from '@cockpit/kit';

/**
 * An internal route serving one of the gateway's contracts: the body is checked
 * against the contract (INVALID_REQUEST naming the fields otherwise) and only
 * the gateway's service identity may call it.
 */
export function gatewayRoute<Req, Ans>(
  contract: RouteContract<Req, Ans>,
  handle: (req: Req, principal: Principal) => Promise<Ans>,
): Record<string, InternalRoute> {
  return {
    [contract.path]: internalRoute(['gateway'], async (body, principal) => {
      const parsed = contract.request(body);
      if (!parsed.ok) throw invalidRequest(`Malformed request to ${contract.path}`, parsed.problems);
      return handle(parsed.value, principal);
    }),
  };
}
