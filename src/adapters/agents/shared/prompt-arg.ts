// Keeps a prompt from being read as an option: commander, clap and yargs all treat a leading dash as a flag
// (and Codex reads "-" as "prompt on stdin"). A leading space changes nothing for the model.
export function toPromptArg(prompt: string): string {
  return prompt.startsWith('-') ? ` ${prompt}` : prompt;
}
