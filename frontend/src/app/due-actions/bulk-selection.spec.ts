import { BulkSelection } from './bulk-selection';

const order = ['a', 'b', 'c', 'd', 'e'];

function picked(selection: BulkSelection): string[] {
  return order.filter((id) => selection.has(id));
}

describe('BulkSelection', () => {
  let selection: BulkSelection;

  beforeEach(() => (selection = new BulkSelection()));

  it('picks and unpicks single cards', () => {
    selection.set('b', true, order);
    selection.set('d', true, order);
    selection.set('b', false, order);

    expect(picked(selection)).toEqual(['d']);
    expect(selection.count()).toBe(1);
  });

  it('with shift, picks every card between the last one clicked and this one', () => {
    selection.set('b', true, order);
    selection.set('d', true, order, { range: true });

    expect(picked(selection)).toEqual(['b', 'c', 'd']);
  });

  it('runs a range upwards too, and the range end becomes the next anchor', () => {
    selection.set('d', true, order);
    selection.set('b', true, order, { range: true });
    selection.set('a', true, order, { range: true });

    expect(picked(selection)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('with shift on a picked card, unpicks the whole range', () => {
    selection.selectAll(order);
    selection.set('b', false, order);
    selection.set('d', false, order, { range: true });

    expect(picked(selection)).toEqual(['a', 'e']);
  });

  it('treats a shift-click without an earlier click as a single pick', () => {
    selection.set('c', true, order, { range: true });

    expect(picked(selection)).toEqual(['c']);
  });

  it('selects all loaded cards, and clears', () => {
    selection.selectAll(order);
    expect(selection.count()).toBe(5);

    selection.clear();
    expect(selection.count()).toBe(0);
  });

  it('keeps exactly the given cards, e.g. the ones that failed', () => {
    selection.selectAll(order);
    selection.replace(['c', 'e']);

    expect(picked(selection)).toEqual(['c', 'e']);
  });

  it('forgets cards that are no longer shown, and a range no longer starts from one', () => {
    selection.set('b', true, order);
    selection.set('c', true, order);
    selection.retain(['a', 'b', 'd', 'e']);

    expect(picked(selection)).toEqual(['b']);
    selection.set('e', true, ['a', 'b', 'd', 'e'], { range: true });
    expect(picked(selection)).toEqual(['b', 'e']);
  });
});
