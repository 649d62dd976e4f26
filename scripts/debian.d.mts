export function ensurePackage(bin: string, pkg: string): string;
