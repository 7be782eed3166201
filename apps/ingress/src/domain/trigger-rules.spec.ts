import {
  TriggerDefinitionError,
  checkFilter,
  checkTemplate,
  passesFilter,
  renderTemplate,
} from './trigger-rules';

describe('trigger filters and templates', () => {
  it('filters with JSON-logic; no filter lets everything through', () => {
    const rule = { and: [{ '==': [{ var: 'action' }, 'firing'] }, { '>': [{ var: 'alert.p99' }, 1000] }] };
    expect(passesFilter(rule, { action: 'firing', alert: { p99: 2400 } })).toBe(true);
    expect(passesFilter(rule, { action: 'firing', alert: { p99: 20 } })).toBe(false);
    expect(passesFilter(rule, { action: 'resolved', alert: { p99: 2400 } })).toBe(false);
    expect(passesFilter(null, { anything: true })).toBe(true);
  });

  it('refuses what is not a rule, or names an unknown operator', () => {
    expect(() => checkFilter('action == firing')).toThrow(/must be a JSON-logic rule/);
    expect(() => checkFilter({ matches: [1, 2] })).toThrow(/cannot be evaluated: .*matches/);
    expect(() => checkFilter({ '==': [1, 1] })).not.toThrow();
  });

  it('renders payload fields as text, not HTML, and lists the fields the payload lacks', () => {
    const payload = { data: { event: { title: 'ReferenceError', culprit: '?(<anonymous>)' } } };
    expect(
      renderTemplate('{{data.event.title}} in {{data.event.culprit}}, {{data.event.level}}', payload),
    ).toEqual({
      text: 'ReferenceError in ?(<anonymous>), ',
      missing: ['data.event.level'],
    });
    // Inside a section a name is the section's own: not reported missing from the top.
    expect(renderTemplate('{{#data.event}}{{title}}{{/data.event}}', payload)).toEqual({
      text: 'ReferenceError',
      missing: [],
    });
  });

  it('refuses a template that does not parse, and a prompt that reads nothing', () => {
    expect(() => checkTemplate('Alert {{#open}}', 'titleTemplate', false)).toThrow(TriggerDefinitionError);
    expect(() => checkTemplate('always the same', 'promptTemplate', true)).toThrow(
      /references no payload field/,
    );
    expect(() => checkTemplate('always the same', 'titleTemplate', false)).not.toThrow();
    expect(() => checkTemplate('{{#items}}{{name}}{{/items}}', 'promptTemplate', true)).not.toThrow();
  });
});
