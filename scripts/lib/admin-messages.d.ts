export declare const PLUGINS: Readonly<Record<string, string>>;
export declare function strapiMessages(locale: string): Record<string, string>;
export declare function namespaceOf(key: string): string;
