export * from './config';
export * from './types';
export { createEdgeLimiter, type GatewayLimiter } from './limiter';
export { HttpAdmission } from './http';
