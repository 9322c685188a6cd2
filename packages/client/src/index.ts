/** The companion-guard wire contract and client helpers (see docs/integrate.md). */
export {};
