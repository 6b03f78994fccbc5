import type { InlineConfig } from 'vite';
export declare const webConfig: InlineConfig;
export default webConfig;
