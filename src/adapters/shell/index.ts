export { createShellParser, type ShellParserOptions } from './parse-shell.js';
