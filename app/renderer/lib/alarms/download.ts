/** Saves text the station produced (CSV) as a file, the browser's way (Electron shows a save dialog). */
export function download(filename: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // Revoked after the click has handed the data to the download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
