"""Pages and lists made from the graph alone: a source list regenerated (the round trip that proves nothing was
lost), the merged list of every paper, and the static site."""
