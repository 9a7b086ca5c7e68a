/**
 * The 季通报 table prints each branch's composite with as few decimals as
 * tell different ranks apart, since the ranking compares exact scores.
 */
jest.mock('@tarojs/components', () => ({ __esModule: true, View: () => null, Text: () => null }))

import { scoreTexts } from '../../src/secretary/report/ReportTable'

test('one decimal when that tells the ranks apart', () => {
  expect(scoreTexts([{ rank: 1, score: 94.248 }, { rank: 2, score: 89.25 }, { rank: 3, score: 0 }])).toEqual(['94.2', '89.3', '0.0'])
})

test('more decimals when two ranks would print the same figure, at most three', () => {
  expect(scoreTexts([{ rank: 2, score: 94.091 }, { rank: 1, score: 94.124 }])).toEqual(['94.09', '94.12'])
  expect(scoreTexts([{ rank: 1, score: 50.00041 }, { rank: 2, score: 50.0004 }])).toEqual(['50.000', '50.000'])
})

test('a real tie keeps one decimal', () => {
  expect(scoreTexts([{ rank: 1, score: 80 }, { rank: 1, score: 80 }, { rank: 3, score: 70.04 }])).toEqual(['80.0', '80.0', '70.0'])
})
