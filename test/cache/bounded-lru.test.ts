import { describe, expect, it } from 'vitest';
import { BoundedLru } from '../../src/cache/bounded-lru.js';

describe('BoundedLru', () => {
  it('evicts the least recently used entries past its cost, and get (not peek) refreshes', () => {
    const evicted: string[] = [];
    const lru = new BoundedLru<string, string>({ maxCost: 30, onEvict: (v) => evicted.push(v) });
    lru.set('a', 'A', 10);
    lru.set('b', 'B', 10);
    lru.set('c', 'C', 10);
    expect(lru.get('a')).toBe('A');
    expect(lru.peek('b')).toBe('B');
    lru.set('d', 'D', 10);
    expect(evicted).toEqual(['B']);
    expect([lru.peek('a'), lru.peek('b'), lru.peek('c'), lru.peek('d')]).toEqual(['A', undefined, 'C', 'D']);
    expect(lru.cost).toBe(30);
    expect(lru.size).toBe(3);
  });

  it('bounds the number of entries too', () => {
    const lru = new BoundedLru<number, number>({ maxCost: Infinity, maxEntries: 2 });
    for (let i = 0; i < 5; i++) lru.set(i, i, 1);
    expect(lru.size).toBe(2);
    expect([lru.peek(3), lru.peek(4)]).toEqual([3, 4]);
  });

  it('replacing a value moves its cost, deleting and clearing take it back; neither calls onEvict', () => {
    const evicted: string[] = [];
    const lru = new BoundedLru<string, string>({ maxCost: 100, onEvict: (v) => evicted.push(v) });
    lru.set('a', 'A', 10);
    lru.set('a', 'A2', 25);
    expect(lru.cost).toBe(25);
    expect(lru.delete('a')).toBe(true);
    expect(lru.delete('a')).toBe(false);
    expect(lru.cost).toBe(0);
    lru.set('b', 'B', 5);
    lru.clear();
    expect([lru.size, lru.cost]).toEqual([0, 0]);
    expect(evicted).toEqual([]);
  });

  it('an entry costlier than the bound alone is evicted at once', () => {
    const lru = new BoundedLru<string, string>({ maxCost: 10 });
    lru.set('big', 'x', 11);
    expect(lru.size).toBe(0);
    expect(lru.cost).toBe(0);
  });
});
