import { it } from 'vitest';
import { parse } from '../../src/core/lang/parser';
import { format } from '../../src/core/lang/format';
it('x', () => {
  const src = 'r = 1\nexpect final(test_loss, sgd) < final(test_loss, gd)\nexpect slope(logdet, ln) ≈ theory(logdet, ln) within 8%\nexpect final(sv_ratio, jump) < 1e-6\nexpect final(rank, jump) == 1\nexpect final(loss,a)-2 <= -(3 × 2) ÷ 4 ~= 1 within 0.1\nx = 1 + 2\n';
  const t = parse(src);
  console.log(JSON.stringify(t.errors));
  console.log(format(src, t));
});
