/** @baton/scripted-api: Scripted Messages API server: real HTTP/SSE on loopback, answers from a script, records requests. */
export const packageName = '@baton/scripted-api' as const;
