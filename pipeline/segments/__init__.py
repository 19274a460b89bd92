"""Stage 2: paragraphs → sentences, each mapped back to its exact place in the source."""
