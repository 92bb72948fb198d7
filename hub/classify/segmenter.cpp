#include "segmenter.h"

#include <memory>
#include <stdexcept>

#include <unicode/brkiter.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include "normalizer.h"
#include "utf8.h"

namespace suqiu::classify {
namespace {

// A BreakIterator is expensive to create and not thread-safe: one prototype,
// one clone per thread.
icu::BreakIterator& thread_word_breaker() {
  static const std::unique_ptr<icu::BreakIterator> prototype = [] {
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<icu::BreakIterator> b(
        icu::BreakIterator::createWordInstance(icu::Locale::getChinese(), status));
    if (U_FAILURE(status) || !b)
      throw std::runtime_error(std::string("ICU word break iterator: ") + u_errorName(status));
    return b;
  }();
  thread_local std::unique_ptr<icu::BreakIterator> mine(prototype->clone());
  return *mine;
}

struct Span {
  std::size_t begin, end;  // bytes
};

bool is_word_char(char32_t cp) {
  return utf8::is_han(cp) || utf8::is_ascii_digit(cp) || utf8::is_ascii_alpha(cp) ||
         (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0xC0 && cp < 0x2000 && cp != 0xB7 && cp != 0xD7);
}

}  // namespace

const std::vector<std::string>& Segmenter::transport_terms() {
  static const std::vector<std::string> kTerms = {
      // vehicles and services
      "网约车", "出租车", "的士", "公交车", "公交", "泥头车", "拉土车", "渣土车", "大货车", "货车",
      "半挂车", "槽罐车", "危化品", "危险品", "危货", "教练车", "黑车", "摩的", "三轮车", "面包车",
      "客车", "大巴", "班车", "长途车", "顺风车", "渡船", "轮渡", "客船", "网约车平台", "私家车",
      "新能源车", "校车", "营运车辆", "冷链",
      // places
      "客运站", "汽车站", "汽车总站", "候车室", "治超站", "治超点", "检测站", "渡口", "码头",
      "候客点", "公交站", "公交站台", "站台", "物流园", "修理厂", "维修厂", "汽修厂", "4S店", "驾校",
      "收费站", "服务区",
      // matters
      "治超", "超限", "超载", "超员", "驾培", "拒载", "绕路", "绕远路", "甩客", "甩站", "拼客",
      "议价", "打表", "计价器", "车牌", "车牌号", "运输证", "营运证", "道路运输证", "从业资格证",
      "驾驶员证", "网约车驾驶员证", "非法营运", "揽客", "拉客", "学时", "计时培训", "科目二",
      "科目三", "路政", "路面", "护栏", "塌方", "坑洼", "撒漏", "老年卡", "学生卡", "末班车",
      "首班车", "发车间隔", "运价", "起步价", "取消费", "一口价", "执法人员", "执法大队", "吃拿卡要",
      "拾金不昧", "船票", "车票", "退票", "改签", "行李", "失物", "遗失", "国道", "省道", "县道",
      "乡道", "村道", "营运", "份子钱", "套牌", "危险货物", "超限运输", "12328", "12345",
  };
  return kTerms;
}

Segmenter::Segmenter(const std::vector<std::string>& extra_terms) {
  auto add = [&](const std::string& raw) {
    std::string term = normalise(raw);
    if (term.empty()) return;
    std::size_t pos = 0, chars = 0;
    char32_t first = utf8::next(term, pos);
    for (pos = 0; pos < term.size(); ++chars) utf8::next(term, pos);
    if (chars < 2) return;  // a single character is not worth protecting
    first_chars_.insert(first);
    max_term_chars_ = std::max(max_term_chars_, chars);
    terms_.insert(std::move(term));
  };
  for (const auto& t : transport_terms()) add(t);
  for (const auto& t : extra_terms) add(t);
}

std::vector<std::string> Segmenter::words(std::string_view text) const {
  // 1. Code points with their byte offsets, and the UTF-16 copy ICU wants.
  std::vector<std::size_t> cp_bytes;       // byte offset of each code point
  std::vector<std::int32_t> cp_u16;        // UTF-16 offset of each code point
  std::vector<char32_t> cps;
  icu::UnicodeString u16;
  for (std::size_t pos = 0; pos < text.size();) {
    cp_bytes.push_back(pos);
    cp_u16.push_back(u16.length());
    char32_t cp = utf8::next(text, pos);
    cps.push_back(cp);
    u16.append(static_cast<UChar32>(cp));
  }
  cp_bytes.push_back(text.size());
  cp_u16.push_back(u16.length());
  const std::size_t n = cps.size();

  // 2. User dictionary: longest match, left to right.
  std::vector<Span> protected_spans;  // in code point indexes
  for (std::size_t i = 0; i < n;) {
    std::size_t best = 0;
    if (first_chars_.count(cps[i])) {
      for (std::size_t len = std::min(max_term_chars_, n - i); len >= 2; --len) {
        std::string_view cand = text.substr(cp_bytes[i], cp_bytes[i + len] - cp_bytes[i]);
        if (terms_.count(std::string(cand))) {
          best = len;
          break;
        }
      }
    }
    if (best) {
      protected_spans.push_back({i, i + best});
      i += best;
    } else {
      ++i;
    }
  }

  // 3. ICU boundaries, mapped back to code point indexes.
  std::vector<bool> boundary(n + 1, false);
  auto& bi = thread_word_breaker();
  bi.setText(u16);
  {
    std::size_t k = 0;
    for (int32_t b = bi.first(); b != icu::BreakIterator::DONE; b = bi.next()) {
      while (k <= n && cp_u16[k] < b) ++k;
      if (k <= n && cp_u16[k] == b) boundary[k] = true;
    }
  }
  // A dictionary term's edges are boundaries and nothing inside it is.
  for (const auto& s : protected_spans) {
    boundary[s.begin] = boundary[s.end] = true;
    for (std::size_t k = s.begin + 1; k < s.end; ++k) boundary[k] = false;
  }
  boundary[0] = boundary[n] = true;

  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t k = 1; k <= n; ++k) {
    if (!boundary[k]) continue;
    bool wordy = false;
    for (std::size_t m = start; m < k && !wordy; ++m) wordy = is_word_char(cps[m]);
    if (wordy) out.emplace_back(text.substr(cp_bytes[start], cp_bytes[k] - cp_bytes[start]));
    start = k;
  }
  return out;
}

std::vector<std::string> Segmenter::features(std::string_view text) const {
  std::vector<std::string> out;
  auto ws = words(text);
  out.reserve(ws.size() * 3);
  for (auto& w : ws) {
    bool numeric = !w.empty();
    for (char ch : w) numeric = numeric && ch >= '0' && ch <= '9';
    out.push_back(numeric ? std::string("w:#") : "w:" + w);
  }
  std::size_t prev_begin = 0;
  char32_t prev = 0;
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t at = pos;
    char32_t cp = utf8::next(text, pos);
    if (utf8::is_han(cp)) {
      if (utf8::is_han(prev)) {
        std::string f = "b:";
        f.append(text.substr(prev_begin, pos - prev_begin));
        out.push_back(std::move(f));
      }
    }
    prev = cp;
    prev_begin = at;
  }
  for (const auto& e : find_entities(text)) {
    switch (e.kind) {
      case Entity::plate: out.emplace_back("e:plate"); break;
      case Entity::route: out.emplace_back("e:route"); break;
      case Entity::phone: out.emplace_back("e:phone"); break;
    }
  }
  return out;
}

}  // namespace suqiu::classify
