"""Growing the corpus: the tools between a new page and its gold annotation.

``items`` (the items a page yields now), ``preannotate`` (a model's spans as silver annotation),
``labelstudio`` (the labeling config, tasks out, annotations back into a pass), ``status`` (where each
page stands). The command line wires them (``gaoxin-news preannotate``, ``labelstudio``, ``status``).
"""
