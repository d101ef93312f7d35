// Reviews as the pages show them: stars as text, the summary line, one review's card.
const STARS = 5;

function stars(rating) {
  const n = Math.max(0, Math.min(STARS, Number(rating) || 0));
  return '★'.repeat(n) + '☆'.repeat(STARS - n);
}

// "4.8分 · 好评率 96% · 共 25 条评价", or "暂无评价".
function summaryText(summary) {
  if (!summary || !summary.count) return '暂无评价';
  return summary.average.toFixed(1) + '分 · 好评率 ' + summary.good_rate + '% · 共 ' + summary.count + ' 条评价';
}

function specsText(specs) {
  return Object.keys(specs || {}).map((name) => specs[name]).join(' / ');
}

function reviewCard(review) {
  return Object.assign({}, review, { stars: stars(review.rating), specs_text: specsText(review.specs),
    date: String(review.created_at || '').slice(0, 10) });
}

module.exports = { stars, summaryText, reviewCard };
