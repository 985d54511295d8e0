"""NER evaluation beside the corpus: prediction files, scoring, the recogniser protocol, the offline
baselines, the Hugging Face adapter and the published results table.

The entry points a user needs are re-exported here::

    from gaoxin_news.ner import evaluate_file, predict_corpus
"""

from gaoxin_news.ner.evaluate import evaluate_file
from gaoxin_news.ner.predict import predict_corpus
from gaoxin_news.ner.recogniser import Recogniser, Span

__all__ = ["Recogniser", "Span", "evaluate_file", "predict_corpus"]
