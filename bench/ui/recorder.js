// Runs in every page of `npm run bench:ui` before the page's own scripts (an init script): keeps
// the start and length of each main-thread long task and the time of every animation frame.
// Plain JavaScript, so the page gets it as written.
{
  const recorder = { tasks: [], frames: [] };
  window.__recorder = recorder;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) recorder.tasks.push([entry.startTime, entry.duration]);
  }).observe({ type: 'longtask', buffered: true });
  const tick = (time) => {
    recorder.frames.push(time);
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}
