// CNA: dropping files from the computer onto the app (web only).
//
// Flet 1.0.5's prebuilt web client has no drop target for files from the operating system, and a
// browser that gets a file dropped on a page it does not handle opens the file instead, leaving
// the app. The client does take *pasted* files (TextField.on_paste_files), so a drop is handed to
// the focused text field as a paste carrying the same files. With no text field focused, the
// files wait up to a minute for the next one (e.g. a click into "Beschrijving").
(() => {
  const WAIT_MS = 60000;
  let waiting = null;

  const carriesFiles = (event) =>
    event.dataTransfer && Array.from(event.dataTransfer.types || []).includes("Files");
  const editable = (element) =>
    element && (element.tagName === "TEXTAREA" || element.tagName === "INPUT" || element.isContentEditable);

  const pasteInto = (element, files) => {
    const data = new DataTransfer();
    for (const file of files) data.items.add(file);
    element.dispatchEvent(new ClipboardEvent("paste", { clipboardData: data, bubbles: true, cancelable: true }));
  };

  window.addEventListener("dragover", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
  }, true);

  window.addEventListener("drop", (event) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.stopPropagation();
    const files = Array.from(event.dataTransfer.files);
    if (editable(document.activeElement)) {
      pasteInto(document.activeElement, files);
    } else {
      waiting = { files, until: Date.now() + WAIT_MS };
    }
  }, true);

  document.addEventListener("focusin", (event) => {
    if (waiting && Date.now() <= waiting.until && editable(event.target)) {
      const files = waiting.files;
      waiting = null;
      // Flutter attaches its own paste handling once the field has settled in.
      setTimeout(() => pasteInto(event.target, files), 50);
    }
  }, true);
})();
