// The MCP server's bundle (dist/mcp.js), loaded by `prompt-lab mcp` only.
export { serveMcp } from './mcpServer';
