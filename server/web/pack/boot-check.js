// A classic script, so it runs even when the app's modules fail to load (an old browser, or a
// first visit cut off mid-way): after a while without the app, it says so and what to do.
setTimeout(() => {
  if (globalThis.packtrailStarted) return;
  const lang = (navigator.language || 'en').toLowerCase();
  const text = lang.startsWith('ko')
    ? 'Packtrail을 불러오지 못했습니다. 연결을 확인하고 페이지를 새로 고치세요. 계속되면 최신 Chrome 또는 Safari를 사용하세요.'
    : lang.startsWith('zh')
      ? '無法載入 Packtrail。請檢查連線後重新整理頁面；若仍失敗，請使用最新版 Chrome 或 Safari。'
      : 'Packtrail did not load. Check the connection and reload the page; if it keeps failing, use a current Chrome or Safari.';
  const note = document.createElement('p');
  note.className = 'fatal';
  note.textContent = text;
  document.body.prepend(note);
}, 12000);
