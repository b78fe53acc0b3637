// Streams one Messages request with a tool through ncp with the official Anthropic TypeScript SDK, the way an
// application does (client.messages.stream → finalMessage), and prints one JSON object: the final message, and the
// type of every raw event the SDK's iterator handed out (so the test can see the side channel reached the SDK).
// Env: NCP_ANTHROPIC_SDK (the SDK's package directory), ANTHROPIC_BASE_URL, ANTHROPIC_API_KEY.
'use strict';
const sdk = require(process.env.NCP_ANTHROPIC_SDK);
const Anthropic = sdk.Anthropic ?? sdk.default;

async function main() {
  const client = new Anthropic({ baseURL: process.env.ANTHROPIC_BASE_URL, apiKey: process.env.ANTHROPIC_API_KEY,
    maxRetries: 0 });
  const stream = client.messages.stream({
    model: 'claude-opus-4-7',
    max_tokens: 512,
    tools: [{ name: 'Bash', description: 'Run a command',
      input_schema: { type: 'object', properties: { command: { type: 'string' } } } }],
    messages: [{ role: 'user', content: 'List /tmp' }],
  });
  const eventTypes = [];
  for await (const event of stream) {
    eventTypes.push(event.type);
  }
  const message = await stream.finalMessage();
  process.stdout.write(JSON.stringify({ message, eventTypes, sdkVersion: require(`${process.env.NCP_ANTHROPIC_SDK}/package.json`).version }) + '\n');
}

main().catch((e) => {
  process.stderr.write(`${e.stack ?? e}\n`);
  process.exit(1);
});
