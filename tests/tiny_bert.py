"""A tiny BertForTokenClassification with hand-set weights, so that its output is known: the characters
of ``B_CHARS`` get the tag ``b_label``, those of ``I_CHARS`` the tag ``i_label``, every other token ``O``.
Built in a folder and loaded from there as a user's fine-tuned model would be (no hub access)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

B_CHARS, I_CHARS = "烟山", "台高新区东省"


def build_tiny_bert(out: Path, labels: Sequence[str], b_label: str = "B-GPE", i_label: str = "I-GPE") -> Path:
    import torch
    from tokenizers import Tokenizer, models, normalizers, pre_tokenizers, processors
    from transformers import BertConfig, BertForTokenClassification, PreTrainedTokenizerFast

    labels = list(labels)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *B_CHARS, *I_CHARS, *"在的和"]
    tk = Tokenizer(models.WordPiece(vocab={w: i for i, w in enumerate(vocab)}, unk_token="[UNK]"))
    tk.normalizer = normalizers.BertNormalizer(lowercase=False, handle_chinese_chars=True)
    tk.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tk.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=tk, unk_token="[UNK]", pad_token="[PAD]",
                                        cls_token="[CLS]", sep_token="[SEP]", mask_token="[MASK]")
    config = BertConfig(vocab_size=len(vocab), hidden_size=3, num_hidden_layers=0, num_attention_heads=1,
                        intermediate_size=4, max_position_embeddings=512, num_labels=len(labels),
                        id2label=dict(enumerate(labels)), label2id={x: i for i, x in enumerate(labels)})
    model = BertForTokenClassification(config)
    with torch.no_grad():
        emb = model.bert.embeddings
        emb.position_embeddings.weight.zero_()
        emb.token_type_embeddings.weight.zero_()
        w = torch.zeros(len(vocab), 3)
        w[:, 0] = 1.0  # O
        for c in B_CHARS:
            w[vocab.index(c)] = torch.tensor([0.0, 1.0, 0.0])
        for c in I_CHARS:
            w[vocab.index(c)] = torch.tensor([0.0, 0.0, 1.0])
        emb.word_embeddings.weight.copy_(w)
        emb.LayerNorm.weight.fill_(1.0)
        emb.LayerNorm.bias.zero_()
        # hidden dimension 0, 1, 2 → the logit of O, b_label, i_label; every other label's logit is 0
        cls = torch.zeros(len(labels), 3)
        for dim, lab in enumerate(("O", b_label, i_label)):
            cls[labels.index(lab), dim] = 1.0
        model.classifier.weight.copy_(cls)
        model.classifier.bias.zero_()
    model.save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out
