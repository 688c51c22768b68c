import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { xrfkeyViolation } from '../../src/http/xrfkey.js';

const KEY = 'abcdefgh12345678';

const RULES = {
  missing: 'the Xrfkey query parameter is missing',
  repeated: 'the Xrfkey query parameter is given more than once',
  format: 'the Xrfkey query parameter must be exactly 16 letters (A-Z, a-z) or digits',
  noHeader: 'the X-Qlik-Xrfkey header is missing',
  mismatch: 'the X-Qlik-Xrfkey header does not equal the Xrfkey query parameter',
};

describe('xrfkeyViolation', () => {
  test('a matching parameter and header break no rule', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: KEY }, KEY), undefined);
    assert.equal(xrfkeyViolation({ Xrfkey: 'ABCDEFGHIJKLMNOP', other: 'x' }, 'ABCDEFGHIJKLMNOP'), undefined);
  });

  test('the parameter name matches without case', () => {
    for (const name of ['xrfkey', 'XRFKEY', 'XrfKey', 'xRfKeY']) {
      assert.equal(xrfkeyViolation({ [name]: KEY }, KEY), undefined, name);
    }
  });

  test('a missing parameter', () => {
    assert.equal(xrfkeyViolation({}, KEY), RULES.missing);
    assert.equal(xrfkeyViolation({ xrfkey2: KEY, key: KEY }, KEY), RULES.missing);
  });

  test('a repeated parameter, in the same or another case', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: [KEY, KEY] }, KEY), RULES.repeated);
    assert.equal(xrfkeyViolation({ xrfkey: KEY, XRFKEY: KEY }, KEY), RULES.repeated);
  });

  test('a value that is not 16 letters or digits', () => {
    for (const value of [
      '',
      'abc',
      'abcdefgh1234567',
      'abcdefgh123456789',
      'abcdefgh1234567!',
      'abcdefgh 1234567',
      'abcdefgh-1234567',
      'äbcdefgh12345678',
      'abcdefgh1234567\u0000',
    ]) {
      assert.equal(xrfkeyViolation({ Xrfkey: value }, value), RULES.format, JSON.stringify(value));
    }
  });

  test('a value that is not a string (a nested query object)', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: { a: KEY } }, KEY), RULES.format);
  });

  test('a missing header', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: KEY }, undefined), RULES.noHeader);
  });

  test('a header that differs, even only in case', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: KEY }, 'abcdefgh12345679'), RULES.mismatch);
    assert.equal(xrfkeyViolation({ Xrfkey: KEY }, KEY.toUpperCase()), RULES.mismatch);
    assert.equal(xrfkeyViolation({ Xrfkey: KEY }, ''), RULES.mismatch);
  });

  test('rules are checked in order: parameter before header', () => {
    assert.equal(xrfkeyViolation({ Xrfkey: 'short' }, undefined), RULES.format);
    assert.equal(xrfkeyViolation({}, undefined), RULES.missing);
  });
});
