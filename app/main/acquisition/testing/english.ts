/**
 * English left in a Russian or Chinese text an operator reads: its Latin words, but for names the
 * languages keep (OPC UA, DNS, the hosts file) and those a message names (`keep`: a host, a status).
 */
export function english(text: string, keep: readonly string[] = []): string[] {
  return (text.match(/[A-Za-z]{2,}/g) ?? []).filter((w) => !['OPC', 'UA', 'DNS', 'hosts', ...keep].includes(w));
}
