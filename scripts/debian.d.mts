export function ensurePackage(bin: string, pkg: string, opts?: { recommends?: boolean }): string;
