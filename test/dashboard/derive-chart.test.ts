import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { toElkGraph, toGeometry, type ElkGraph } from '../../dashboard/src/state/chart-layout.js';
import { activeNodeIds, buildChartModel, eventLabel, guardLabel, takenEdgeIds, type ChartModel } from '../../dashboard/src/state/derive-chart.js';
import { machineDefinitions } from '../../src/runtime/dashboard/machine-definitions.js';

const definitions = machineDefinitions();
const worker = buildChartModel(definitions.worker)!;
const session = buildChartModel(definitions.session)!;
const edge = (model: ChartModel, source: string, target: string) => model.edges.filter((e) => e.source === source && e.target === target);
const measure = (text: string) => text.length * 7;

describe('the chart model of a machine definition', () => {
  it('has a node per state, nested as in the machine, with its type and initial child', () => {
    expect([...worker.nodes.keys()]).toEqual([
      'worker',
      'worker.live',
      'worker.live.starting',
      'worker.live.running',
      'worker.live.paused',
      'worker.live.stalled',
      'worker.live.stopping',
      'worker.settling',
      'worker.recovering',
      'worker.settled',
      'worker.done',
      'worker.failed',
      'worker.stopped',
    ]);
    expect(worker.nodes.get('worker.live')).toMatchObject({ type: 'compound', parentId: 'worker', initialId: 'worker.live.starting', invokes: ['agentProcess'] });
    expect(worker.nodes.get('worker.done')?.type).toBe('final');
    expect(session.nodes.get('session.active')?.type).toBe('parallel');
    expect(session.nodes.get('session.active')?.children).toEqual(['session.active.flow', 'session.active.staffing', 'session.active.control']);
  });

  it('labels transitions with their events, delays, actors and guards', () => {
    expect(edge(worker, 'worker.live.running', 'worker.live.paused').map((e) => e.label)).toEqual(['worker.pause']);
    expect(edge(worker, 'worker.live', 'worker.live.stopping').map((e) => e.label)).toEqual(['worker.budget', 'worker.stop', 'after wallDeadline']);
    expect(edge(worker, 'worker.recovering', 'worker.live').map((e) => e.label)).toEqual(['recovery.relaunch [isRecoveryRelaunch]']);
    expect(edge(session, 'session.preparing', 'session.planning')[0]).toMatchObject({ label: 'probeAgents done', kind: 'done' });
    expect(edge(session, 'session.preparing', 'session.failed')[0]).toMatchObject({ label: 'probeAgents failed', kind: 'error' });
    expect(edge(session, 'session.active.flow.working', 'session.active.flow.checkpointing').map((e) => e.label)).toEqual([
      'a child done [workerSucceeded]',
      'a child done [workerStopped]',
    ]);
    // Targetless transitions stay in the state: listed on it, not drawn as edges.
    expect(worker.nodes.get('worker.live.running')?.internal).toEqual(['agent.started']);
  });

  it('draws the eventless transitions a server adds (toJSON leaves them out)', () => {
    expect(edge(worker, 'worker.settling', 'worker.done')[0]).toMatchObject({ label: '[succeeded]', kind: 'always' });
    expect(edge(worker, 'worker.settling', 'worker.failed')[0]).toMatchObject({ label: 'always', kind: 'always' });
    expect(edge(session, 'session.active.staffing.assessing', 'session.active.staffing.solo-codex')[0]?.label).toBe('[isTier(solo-codex)]');
    expect(edge(session, 'session.active.flow.launching', 'session.active.flow.waiting')[0]?.label).toBe('[mustWait]');
    // Without them the model still builds; those edges are simply missing.
    const bare = buildChartModel(JSON.parse(JSON.stringify({ ...definitions.worker as object, states: { ...(definitions.worker as { states: object }).states, settling: { id: 'worker.settling', key: 'settling', type: 'atomic', states: {}, transitions: [] } } })));
    expect(bare && edge(bare, 'worker.settling', 'worker.done')).toEqual([]);
  });

  it('lights every active state of a value, parallel regions and ancestors included', () => {
    expect([...activeNodeIds(worker, { live: 'paused' })]).toEqual(['worker', 'worker.live', 'worker.live.paused']);
    expect([...activeNodeIds(worker, 'done')]).toEqual(['worker', 'worker.done']);
    expect([...activeNodeIds(session, { active: { flow: 'working', staffing: 'trio', control: 'paused' } })].sort()).toEqual([
      'session',
      'session.active',
      'session.active.control',
      'session.active.control.paused',
      'session.active.flow',
      'session.active.flow.working',
      'session.active.staffing',
      'session.active.staffing.trio',
    ]);
    expect(activeNodeIds(worker, null).size).toBe(0);
    expect([...activeNodeIds(worker, { live: 'nowhere' })]).toEqual(['worker', 'worker.live']);
  });

  it('finds the edges a snapshot says were taken', () => {
    const taken = takenEdgeIds(worker, [{ source: 'worker.live.running', targets: ['worker.live.paused'] }]);
    expect([...taken]).toEqual(edge(worker, 'worker.live.running', 'worker.live.paused').map((e) => e.id));
  });

  it('refuses what is not a machine definition', () => {
    expect(buildChartModel(undefined)).toBeNull();
    expect(buildChartModel({ states: {} })).toBeNull();
    expect(buildChartModel({ id: 'tiny' })?.nodes.size).toBe(1);
  });

  it('writes event and guard labels briefly', () => {
    const invokes = new Map([['0.session.preparing', 'probeAgents']]);
    expect(eventLabel('xstate.after.idle.worker.live', invokes)).toEqual({ text: 'after idle', kind: 'after' });
    expect(eventLabel('xstate.done.actor.*', invokes).text).toBe('a child done');
    expect(eventLabel('xstate.done.state.session.active', invokes)).toEqual({ text: 'done', kind: 'done' });
    expect(eventLabel('', invokes).kind).toBe('always');
    expect(guardLabel({ type: 'isTier', params: { tier: 'trio' } })).toBe('isTier(trio)');
    expect(guardLabel(undefined)).toBeNull();
  });
});

describe('the chart layout', () => {
  it('builds an ELK graph of nested boxes, an initial dot per compound state, and labels each edge once per target and event', () => {
    const graph = toElkGraph(session, measure);
    const machine = graph.children![0]!;
    expect(machine.id).toBe('session');
    const active = machine.children!.find((c) => c.id === 'session.active')!;
    expect(active.children!.map((c) => c.id)).toEqual(['session.active.flow', 'session.active.staffing', 'session.active.control']);
    expect(machine.children!.some((c) => c.id === 'session::initial')).toBe(true);
    const backToAssessing = graph.edges!.filter((e) => e.targets[0] === 'session.active.staffing.assessing' && !e.sources[0]!.endsWith('::initial'));
    expect(backToAssessing).toHaveLength(8);
    expect(backToAssessing.filter((e) => e.labels!.length > 0)).toHaveLength(1);
  });

  it('lays out both machines with elkjs: every state a box inside its parent, every edge a path', async () => {
    const ELK = createRequire(import.meta.url)('elkjs/lib/elk.bundled.js') as new () => { layout(graph: ElkGraph): Promise<ElkGraph> };
    const elk = new ELK();
    for (const model of [worker, session]) {
      const geometry = toGeometry(model, await elk.layout(toElkGraph(model, measure)));
      const boxes = new Map(geometry.boxes.map((box) => [box.id, box]));
      for (const node of model.nodes.values()) {
        const box = boxes.get(node.id)!;
        expect(box, node.id).toBeDefined();
        const parent = node.parentId ? boxes.get(node.parentId)! : null;
        if (parent) expect(box.x >= parent.x && box.y >= parent.y && box.x + box.width <= parent.x + parent.width + 0.5, node.id).toBe(true);
      }
      expect(geometry.edges.length).toBe(model.edges.length + [...model.nodes.values()].filter((n) => n.initialId).length);
      expect(geometry.edges.every((e) => e.points.length >= 2)).toBe(true);
      expect(geometry.width).toBeGreaterThan(0);
    }
  });
});
