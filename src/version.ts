/** The agent-cos release, as package.json says (kept equal by a test). */
export const COS_VERSION = '0.1.0';
