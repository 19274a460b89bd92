"""A language pair's key: source and target language (Argos codes) and the model route that
translates between them. Plans store it as text, `source|target|route` (a shard plan's
`needs`, the chunk planner's memo), so that text stays as it always was: plans written by an
earlier run are read back as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

SEP = "|"


@dataclass(frozen=True)
class PairKey:
    source: str
    target: str
    route: str  # the model route's key (pipeline.translation.packages.Route.key)

    @property
    def text(self) -> str:
        """As plans store it."""
        return SEP.join((self.source, self.target, self.route))

    @classmethod
    def parse(cls, text: str) -> PairKey:
        """A stored key back; the route is the rest of the text, whatever it holds."""
        source, target, route = text.split(SEP, 2)
        return cls(source, target, route)
