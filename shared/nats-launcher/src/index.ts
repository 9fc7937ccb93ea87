/** @baton/nats-launcher */
export const packageName = "@baton/nats-launcher" as const;
