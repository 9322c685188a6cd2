/** React rendering of companion-guard directives (see docs/integrate.md). */
export {};
