"""Links across articles: copies, reused passages (and, next, stories).

Cross-document work is its own pass over signatures (``signals``): shingles, MinHash bands
for copy candidates, winnowed fingerprints for passages, and the exact comparison that
confirms a candidate before it becomes a link. The duplicate stage and its archive tables
build on these (in progress: see the README).
"""
