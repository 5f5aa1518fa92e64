/**
 * The trace viewer's style sheet. Sized for a 1366x768 laptop: the header
 * takes a few lines, the state panel a fixed column on the right, and six
 * lanes fit the height that is left.
 */
export const VIEWER_STYLE = `
:root { --fg: #1f2328; --dim: #656d76; --line: #d0d7de; --bg: #ffffff; --panel: #f6f8fa; --accent: #0969da; --bad: #cf222e;
  --blocked: repeating-linear-gradient(135deg, #ffd7d5 0 6px, #ffebe9 6px 12px);
  --parked: repeating-linear-gradient(135deg, #ffe2b3 0 6px, #fff4e0 6px 12px);
  font: 13px/1.35 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
* { box-sizing: border-box; }
html, body { margin: 0; height: 100%; }
code, .line, .waits, .items { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 11.5px; }
#app { display: flex; flex-direction: column; height: 100vh; }
#summary { padding: 8px 14px 6px; border-bottom: 1px solid var(--line); }
#summary h1 { margin: 0 0 3px; font-size: 16px; font-weight: 600; }
.kind-badge { display: inline-block; padding: 0 7px; border-radius: 10px; background: var(--bad); color: #fff; font-size: 12px; font-weight: 600; vertical-align: 1px; }
.message { margin: 0 0 3px; max-height: 4.05em; overflow: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { margin: 0 0 4px; color: var(--dim); font-size: 12px; overflow-wrap: anywhere; }
.replay { display: flex; align-items: center; gap: 8px; min-width: 0; }
.replay-label { color: var(--dim); font-size: 12px; }
.replay code { background: var(--panel); border: 1px solid var(--line); border-radius: 4px; padding: 2px 6px; white-space: nowrap; overflow: auto; min-width: 0; flex: 0 1 auto; }
button { font: inherit; font-size: 12px; padding: 2px 10px; border: 1px solid var(--line); border-radius: 4px; background: #fff; cursor: pointer; }
button:hover { background: var(--panel); }
.copy-status { color: var(--dim); font-size: 12px; }
button.show-all { font-size: 11px; padding: 0 6px; margin-left: 2px; }
.offscreen { position: fixed; left: -9999px; top: 0; }
#main { flex: 1; display: grid; grid-template-columns: minmax(0, 1fr) 360px; min-height: 0; }
#timeline { display: flex; flex-direction: column; min-width: 0; min-height: 0; }
#state { border-left: 1px solid var(--line); background: var(--panel); overflow: auto; padding: 8px 12px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 5px 14px; font-size: 11.5px; color: var(--dim); border-bottom: 1px solid var(--line); }
.legend .key { display: inline-flex; align-items: center; gap: 4px; }
.swatch { display: inline-block; width: 18px; height: 11px; border: 1px solid var(--line); }
.swatch.active { background: #fff; border-left: 3px solid var(--accent); }
.swatch.status-ready { background: linear-gradient(transparent 4px, #8c959f 4px, #8c959f 6px, transparent 6px); }
.swatch.status-blocked { background: var(--blocked); }
.swatch.status-parked { background: var(--parked); }
.chart { padding: 2px 14px 0; border-bottom: 1px solid var(--line); }
.chart-legend { display: flex; gap: 14px; font-size: 11px; color: var(--dim); }
.chart-legend .key::before { content: ""; display: inline-block; width: 16px; height: 0; margin-right: 4px; vertical-align: middle; border-top: 2px solid var(--accent); }
.chart-legend .held::before { border-top: 2px dotted #8250df; }
.chart-legend .capacity::before { border-top: 2px dashed var(--bad); }
svg.occupancy { display: block; cursor: pointer; }
svg.occupancy polyline { fill: none; stroke-width: 2; stroke-linejoin: round; }
svg.occupancy polyline.reported { stroke: var(--accent); }
svg.occupancy polyline.held { stroke: #8250df; stroke-dasharray: 2 3; }
svg.occupancy line.capacity { stroke: var(--bad); stroke-dasharray: 6 4; }
svg.occupancy line.baseline { stroke: var(--line); }
svg.occupancy line.failing { stroke: var(--bad); stroke-width: 2; opacity: 0.6; }
svg.occupancy rect.marker { fill: #ddf4ff; stroke: var(--accent); stroke-width: 1; }
svg.occupancy text { font-size: 10px; fill: var(--dim); }
svg.occupancy text.capacity { fill: var(--bad); }
.lanes { flex: 1; overflow: auto; position: relative; min-height: 0; }
.canvas { position: relative; }
.labels { position: sticky; left: 0; z-index: 3; background: var(--bg); border-right: 1px solid var(--line); }
.label { display: flex; align-items: center; gap: 6px; padding: 0 8px; border-bottom: 1px solid var(--line); font-weight: 600; font-size: 12px; overflow: hidden; }
.label .name { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.label.head { height: 30px; color: var(--dim); font-weight: 400; position: sticky; top: 0; background: var(--bg); }
.label .dot { flex: none; width: 10px; height: 10px; border-radius: 50%; background: var(--lane); }
.label.timer .dot { border-radius: 2px; }
.columns { position: absolute; left: 0; top: 0; }
.step { position: absolute; top: 0; border-right: 1px solid #eaeef2; cursor: pointer; }
.step .head { display: flex; align-items: center; gap: 6px; padding: 0 8px; border-bottom: 1px solid var(--line); background: var(--bg); font-size: 12px; }
.step .head .index { font-weight: 600; }
.step .head .time { margin-left: auto; color: var(--dim); font-size: 11px; }
.step .head .macrotask { color: #8250df; font-weight: 600; }
.step .head .note-mark { color: var(--accent); }
.step.switch .head .index { color: var(--accent); }
.step.selected { background: #ddf4ff66; box-shadow: inset 0 0 0 2px var(--accent); z-index: 1; }
.step.selected .head { background: #ddf4ff; }
.step.failing .head { background: #ffebe9; color: var(--bad); }
.step.failing { box-shadow: inset 0 0 0 2px var(--bad); }
.step.failing.selected { box-shadow: inset 0 0 0 3px var(--bad); }
.cell { position: relative; border-bottom: 1px solid var(--line); padding: 4px 5px; overflow: hidden; }
.cell.status-ready::after { content: ""; position: absolute; left: 0; right: 0; bottom: 6px; border-top: 2px solid #c8d1da; }
.cell.status-blocked { background: var(--blocked); }
.cell.status-parked { background: var(--parked); }
.cell.status-failed { background: #ffd7d5; }
.card { position: relative; z-index: 1; background: #fff; border: 1px solid var(--line); border-left: 3px solid var(--lane); border-radius: 3px; padding: 1px 5px; max-height: 100%; overflow: hidden; }
.message-text { white-space: pre-wrap; overflow-wrap: anywhere; }
.cell.joined .card { border-color: #8250df; border-left-color: var(--lane); box-shadow: 0 0 0 1px #8250df; }
.card .badge { float: right; color: #8250df; font-weight: 700; margin-left: 4px; }
.line { white-space: pre-wrap; overflow-wrap: anywhere; line-height: 15px; }
.card.clipped::after { content: "⋯"; position: absolute; right: 3px; bottom: 0; padding-left: 6px; background: #fff; color: var(--dim); font-weight: 700; }
.line.nested { padding-left: 2ch; }
.line.after { color: var(--dim); }
.line.note { font-style: italic; color: var(--accent); font-family: inherit; }
.waits { padding-left: 3px; font-style: italic; color: #82071e; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; line-height: 15px; }
.cell.status-parked .waits { color: #7d4e00; }
#state h2 { font-size: 15px; margin: 0; }
#state h3 { font-size: 12px; text-transform: uppercase; letter-spacing: 0.04em; color: var(--dim); margin: 10px 0 3px; }
#state .state-head { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; }
#state .state-head .meta { margin: 0; }
#state .line { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
#state .did { margin-bottom: 4px; }
#state .who { font-weight: 600; font-size: 12px; }
#state dl.pairs { display: grid; grid-template-columns: fit-content(50%) minmax(0, 1fr); gap: 1px 10px; margin: 0; font-size: 12px; }
#state dt { font-weight: 600; overflow-wrap: anywhere; }
#state dd { margin: 0; overflow-wrap: anywhere; }
#state dd.status-blocked { color: var(--bad); }
#state dd.status-parked { color: #9a6700; }
#state dd.status-done, #state dd.status-not-started, #state dd.free { color: var(--dim); }
.finding { margin-top: 6px; padding: 6px 8px; border: 1px solid #ffcecb; background: #ffebe9; border-radius: 4px; }
.items { display: flex; flex-wrap: wrap; gap: 4px; }
.item { padding: 0 5px; border: 1px solid var(--line); border-radius: 3px; background: #fff; overflow-wrap: anywhere; }
.empty { color: var(--dim); }
.joined-text { color: #8250df; }
.notice { padding: 14px; color: var(--dim); }
#viewer-error { margin: 40px auto; max-width: 720px; padding: 16px 20px; border: 2px solid var(--bad); border-radius: 6px; background: #ffebe9; }
#viewer-error h1 { font-size: 18px; margin: 0 0 8px; color: var(--bad); }
`;
