import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explain } from '../../shared/quality/explanation.ts';
import {
  candidateProbability,
  flagNearDuplicates,
  jaccard,
  lookbackStart,
  lshLayout,
  minHashSignature,
  NearDuplicateIndex,
  normalizeText,
  originalityFlag,
  shingles,
} from '../../shared/quality/originality.ts';

/** Common characters, so generated text looks like (and tokenises like) Chinese prose. */
const alphabet = Array.from(
  '的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话者向情部正名定问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴乐',
);

/** A small seeded generator for the corpus, so every run indexes the same 20,000 texts. */
function seeded(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return {
    int: (n: number) => Math.floor(next() * n),
    text(length: number) {
      let s = '';
      for (let i = 0; i < length; i++) s += alphabet[Math.floor(next() * alphabet.length)];
      return s;
    },
  };
}

// Typical self-examination boilerplate (对照检查) and a colleague's lightly reworded copy of it.
const boilerplate =
  '对理论学习重视不够，满足于完成规定动作，学习的系统性和深度不够，理论联系实际不够紧密，运用理论指导工作、解决实际问题的能力有待提高。';
const reworded =
  '对理论学习重视不够，满足于完成规定动作；学习的系统性和深度还不够，理论联系实际不够紧密，运用理论指导实践、解决实际问题的能力有待提高';
const unrelated =
  '联系服务群众不够主动，深入基层调查研究少，对群众反映的停车难问题跟踪落实不及时，办结后回访不到位。';
const sameTopicDifferentContent =
  '学习党章党规不够系统，去年只参加了集中学习，个人自学笔记不到十篇，对新修订的纪律处分条例掌握不准。';

describe('normalisation and shingles', () => {
  it('folds full-width forms and case, and drops whitespace and punctuation', () => {
    expect(normalizeText('Ｐａｒｔｙ　Ｂｒａｎｃｈ １２３！')).toBe('partybranch123');
    expect(normalizeText('学习 不够，深入。「群众」—— 2025年')).toBe('学习不够深入群众2025年');
  });

  it('makes 3-grams of characters, a CJK character (or an astral one) counting as one', () => {
    expect([...shingles('学习不够深入')]).toEqual(['学习不', '习不够', '不够深', '够深入']);
    expect([...shingles('𠀀𠀁𠀂𠀃')]).toEqual(['𠀀𠀁𠀂', '𠀁𠀂𠀃']);
    expect(shingles('好的').size).toBe(0);
  });

  it('computes exact Jaccard similarity, and none for texts too short to share a 3-gram', () => {
    expect(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd']))).toBe(0.5);
    expect(jaccard(shingles('学习不够深入'), shingles('学习不够深入。'))).toBe(1);
    expect(jaccard(new Set(), new Set())).toBe(0);
  });

  it('gives the same signature on every run (a fixed, seeded hash family)', () => {
    const a = minHashSignature(boilerplate);
    expect(a).toHaveLength(128);
    expect(minHashSignature(boilerplate)).toEqual(a);
    expect(Array.from(minHashSignature('学习不够深入', 4))).toEqual(
      Array.from(minHashSignature('学习不够深入!', 4)),
    );
  });
});

describe('band layout', () => {
  it('finds a pair at the 0.8 threshold with probability ≥ 99.9% and rarely pairs unrelated text', () => {
    const { bands, rows } = lshLayout(0.8);
    expect(bands * rows).toBeLessThanOrEqual(128);
    expect(candidateProbability(0.8, bands, rows)).toBeGreaterThanOrEqual(0.999);
    expect(candidateProbability(0.3, bands, rows)).toBeLessThan(0.1);
    expect(candidateProbability(0.1, bands, rows)).toBeLessThan(0.001);
  });

  it('re-tunes for a lower threshold a committee may choose', () => {
    const { bands, rows } = lshLayout(0.6);
    expect(candidateProbability(0.6, bands, rows)).toBeGreaterThanOrEqual(0.999);
  });
});

describe('near-duplicate index', () => {
  it('finds an identical text, and the same text with different punctuation and spacing, at 100%', () => {
    const index = new NearDuplicateIndex();
    index.add('a', boilerplate, '2025-12-03');
    expect(index.query(boilerplate).best).toEqual({ id: 'a', similarity: 1, date: '2025-12-03' });
    const repunctuated = boilerplate.replace(/，/g, ', ').replace('。', '!!');
    expect(index.query(repunctuated).best?.similarity).toBe(1);
  });

  it('finds a colleague’s lightly reworded copy, reporting the exact similarity and date', () => {
    const index = new NearDuplicateIndex();
    index.add('a', boilerplate, '2025-12-03');
    const similarity = jaccard(shingles(boilerplate), shingles(reworded));
    expect(similarity).toBeGreaterThanOrEqual(0.8);
    expect(index.query(reworded).best).toEqual({ id: 'a', similarity, date: '2025-12-03' });
  });

  it('explains a flag to the recorder in both languages, never rounding a near-copy up to 100%', () => {
    const flag = originalityFlag({ id: 'a', similarity: 0.9996, date: '2025-12-03' });
    expect(explain([flag], 'en')).toEqual(['99% the same as an item from 2025-12-03']);
    expect(explain([originalityFlag({ id: 'a', similarity: 0.92, date: '2025-12-03' })], 'zh-CN')).toEqual([
      '与 2025-12-03 的一条内容 92% 相同',
    ]);
  });

  it('does not flag unrelated text, nor different text on the same topic', () => {
    const index = new NearDuplicateIndex();
    index.add('a', boilerplate, '2025-12-03');
    index.add('b', unrelated, '2025-12-03');
    expect(index.query(sameTopicDifferentContent).matches).toEqual([]);
    expect(index.query(unrelated.slice(0, 20) + sameTopicDifferentContent).matches).toEqual([]);
  });

  it('limits the look-back, leaves out the item itself, and ignores texts too short to copy', () => {
    const index = new NearDuplicateIndex();
    index.add('old', boilerplate, '2022-11-20');
    index.add('recent', reworded, '2025-12-03');
    expect(index.query(boilerplate).matches.map((m) => m.id)).toEqual(['old', 'recent']);
    expect(index.query(boilerplate, { notBefore: '2024-11-26' }).matches.map((m) => m.id)).toEqual([
      'recent',
    ]);
    expect(index.query(boilerplate, { excludeId: 'old' }).best?.id).toBe('recent');
    expect(index.add('short', '同意。', '2025-12-03')).toBe(false);
    expect(index.query('同意').best).toBeNull();
  });

  it('stores repeated boilerplate once but reports everyone who wrote it, earliest first', () => {
    const index = new NearDuplicateIndex();
    index.add('b', boilerplate, '2025-12-03');
    index.add('a', boilerplate, '2024-12-01');
    expect(index.size).toBe(1);
    expect(index.query(boilerplate).matches.map((m) => m.id)).toEqual(['a', 'b']);
  });

  it('looks back whole calendar years, 29 February included', () => {
    expect(lookbackStart('2026-11-26', 2)).toBe('2024-11-26');
    expect(lookbackStart('2028-02-29', 2)).toBe('2026-02-28');
    expect(lookbackStart('2026-01-01', 1)).toBe('2025-01-01');
  });

  it('flags both items of a near-duplicate pair within a meeting, and copies from earlier years', () => {
    const history = new NearDuplicateIndex();
    history.add('2024-item', unrelated, '2024-12-10');
    const flags = flagNearDuplicates(
      [
        { id: 'm1', text: boilerplate, date: '2026-01-15' },
        { id: 'm2', text: reworded, date: '2026-01-15' },
        { id: 'm3', text: `${unrelated}`, date: '2026-01-15' },
        { id: 'm4', text: sameTopicDifferentContent, date: '2026-01-15' },
      ],
      history,
      { notBefore: '2024-01-15' },
    );
    expect(flags.get('m1')?.id).toBe('m2');
    expect(flags.get('m2')?.id).toBe('m1');
    expect(flags.get('m3')).toEqual({ id: '2024-item', similarity: 1, date: '2024-12-10' });
    expect(flags.get('m4')).toBeNull();
  });

  it('finds every generated near-copy at or above the threshold, with its exact similarity, and nothing below', () => {
    const char = fc.constantFrom(...alphabet);
    fc.assert(
      fc.property(
        fc.array(char, { minLength: 40, maxLength: 160 }),
        fc.array(fc.tuple(fc.nat(), char), { maxLength: 6 }),
        fc.array(char, { minLength: 40, maxLength: 160 }),
        (base, edits, other) => {
          const edited = [...base];
          for (const [at, ch] of edits) edited[at % edited.length] = ch;
          const index = new NearDuplicateIndex();
          index.add('base', base.join(''), '2025-01-01');
          const exact = jaccard(shingles(base.join('')), shingles(edited.join('')));
          const found = index.query(edited.join('')).best;
          if (exact >= 0.8) expect(found).toEqual({ id: 'base', similarity: exact, date: '2025-01-01' });
          else expect(found).toBeNull();
          // Random text of the same alphabet is never a near-duplicate.
          expect(index.query(other.join('')).best).toBeNull();
        },
      ),
      { seed: 20261126, numRuns: 300 },
    );
  });

  it('compares only a tiny fraction of 20,000 indexed items per query, and still finds the planted copies', () => {
    const random = seeded(7);
    const index = new NearDuplicateIndex();
    const phrase = '坚持以习近平新时代中国特色社会主义思想为指导';
    const originals: string[] = [];
    for (let i = 0; i < 20_000; i++) {
      // A fifth of the texts share a stock phrase, as real self-examinations do.
      const text = (i % 5 === 0 ? phrase : '') + random.text(40 + random.int(80));
      index.add(`item-${i}`, text, '2025-06-30');
      if (i % 100 === 0) originals.push(text);
    }
    let candidates = 0;
    for (const [n, original] of originals.entries()) {
      const copy = Array.from(original);
      copy[copy.length >> 1] = '改'; // one character changed in the middle
      const result = index.query(copy.join(''));
      candidates += result.candidates;
      expect(result.best?.id, `copy of item ${n * 100}`).toBe(`item-${n * 100}`);
    }
    for (let q = 0; q < 200; q++) candidates += index.query(random.text(80)).candidates;
    // 400 queries: a scan would compare 8,000,000 pairs; the index compares a handful per query.
    const perQuery = candidates / 400;
    expect(perQuery).toBeLessThan(5);
    expect(perQuery).toBeGreaterThanOrEqual(0.5); // the planted originals themselves
  });
});
