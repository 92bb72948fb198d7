// Normalisation of complaint text and the entities in it. Every later step
// (segmentation, classification, fingerprints, keyword rules) works on the
// normalised text, so that 計程車 and 计程车, ＴＡＸＩ and TAXI, 粤Ｇ・Ｔ２７３６ and
// 粤G·T2736 look the same to the machine. The original text is kept by the store.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace suqiu::classify {

// NFKC (full-width digits, letters and punctuation become ASCII), Traditional
// to Simplified (ICU "Traditional-Simplified"), Latin letters upper-cased (plates
// and abbreviations are written in capitals: APP, ETC, K3路), whitespace runs
// folded to one space and trimmed, CJK punctuation folded to ASCII (。→. 、→,
// “”→" 《》【】→() ……→... ——→-), repeats of the same punctuation collapsed,
// every middle dot (・ • ‧ ·) written as "·". Invalid UTF-8 becomes U+FFFD.
std::string normalise(std::string_view text);

struct Entity {
  enum Kind { plate, phone, route } kind;
  // Canonical form: plates "粤G·T2736" (separator "·", capitals), phones the
  // digits only ("13800138000", landlines "0759-3388123"), routes "K3路".
  std::string text;
  std::size_t begin, end;  // byte offsets of the span in the normalised text
};

// Plate numbers (province + letter + 5 or 6 characters, optional 学/警/挂…),
// mobile and landline phone numbers, bus route numbers (12路, K3路, 夜班2路,
// 3号线). Expects normalised text; in document order.
std::vector<Entity> find_entities(std::string_view normalised);

// 13800138000 -> 138****8000; 0759-3388123 -> 0759-***8123. Works on raw text
// too (full-width digits, digits grouped by spaces or hyphens); everything
// else is copied unchanged. Used for roles that may not see phone numbers.
std::string mask_phones(std::string_view text);

}  // namespace suqiu::classify
