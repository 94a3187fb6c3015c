/** Our version, and the redis_version INFO and HELLO report: the 7.2 line, so clients feature-detect right. */
export const VERSION = '0.1.0';
export const REDIS_VERSION = '7.2.4';
