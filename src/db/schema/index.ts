export * from './audit-events.ts';
export * from './compliance-items.ts';
export * from './orders.ts';
export * from './partner-pictures.ts';
export * from './partners.ts';
export * from './principals.ts';
export * from './settings.ts';
