/** Whether a process of that pid runs (signal 0 checks without sending; ESRCH: none). Tests only. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
