"""``from gaoxin_news.metrics import compute_metrics``: the ``transformers.Trainer`` metric of the ``ner``
config, equal to the strict figures of ``gaoxin-news evaluate``. The code is in
:mod:`gaoxin_news.ner.metrics`."""

from gaoxin_news.ner.metrics import compute_metrics

__all__ = ["compute_metrics"]
