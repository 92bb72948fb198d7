// suqiu_fake_hub: the SDK tests' FakeHub as a program, so that clients written
// in other languages from docs/protocol.md can be tried without a real hub.
// Prints its ingest endpoint on the first line of stdout, then serves (acking
// records that have `content`, NACKing the others, idempotent on source +
// external_id) until stdin is closed.
#include <iostream>
#include <string>

#include "fake_hub.h"

int main() {
  zmq::context_t ctx;
  suqiu::test::FakeHub hub(ctx, 1000);
  std::cout << hub.endpoint() << std::endl;
  std::string line;
  while (std::getline(std::cin, line)) {
  }
  std::cerr << "fake hub: " << hub.intakes() << " intakes, " << hub.stored() << " stored\n";
  return 0;
}
