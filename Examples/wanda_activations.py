#!/usr/bin/env python3
"""Wanda activation norms of a Hugging Face model, for `emp --criterion wanda`.

    python3 wanda_activations.py MODEL act.safetensors [--text FILE] [--max-length N]
                                 [--device DEV] [--prefix P]

MODEL is a Hugging Face model name or a local directory, loaded with AutoModel. A forward
pre-hook on every torch.nn.Linear accumulates, in float64 over all tokens of the calibration
text, Σ x_j² for each input feature j. The calibration text is one sentence per non-empty
line of --text FILE (default: eight short English sentences), each run on its own, so no
padding enters the sums.

act.safetensors holds, for each Linear module named M that ran, a float32 tensor `M.weight`
of shape [in_features]: the input-feature norms ‖X_j‖₂ = √(Σ x_j²). Wanda scores the weight
W [out, in] of M by |W_ij|·‖X_j‖₂ (Sun et al., "A Simple and Effective Pruning Approach for
Large Language Models", 2023). Module names can lack a prefix that the checkpoint's keys carry
(AutoModel loads a causal LM without its `model.` wrapper, a checkpoint saved from
BertForMaskedLM has `bert.` keys): --prefix prepends it, e.g. --prefix bert. (with the dot).
Then prune:

    emp prune model.safetensors pruned.safetensors --criterion wanda --activations act.safetensors
"""
import argparse
import sys

try:
    import torch
    from safetensors.torch import save_file
    from transformers import AutoModel, AutoTokenizer
except ImportError:
    print("wanda_activations.py needs PyTorch and transformers: pip install torch transformers safetensors",
          file=sys.stderr)
    sys.exit(2)

SENTENCES = [
    "The quick brown fox jumps over the lazy dog.",
    "A journey of a thousand miles begins with a single step.",
    "Rain is expected in the north of the country tomorrow afternoon.",
    "She opened the window and listened to the birds in the garden.",
    "The committee will publish its final report next spring.",
    "Water boils at one hundred degrees Celsius at sea level.",
    "He forgot his umbrella on the train again this morning.",
    "Small models can be surprisingly good at simple tasks.",
]


def main():
    parser = argparse.ArgumentParser(description="Wanda input-feature norms of every Linear layer.")
    parser.add_argument("model", help="Hugging Face model name or local directory")
    parser.add_argument("output", help="the .safetensors file to write")
    parser.add_argument("--text", help="calibration sentences, one per line (default: 8 built-in ones)")
    parser.add_argument("--max-length", type=int, default=128, help="max tokens per sentence (default 128)")
    parser.add_argument("--device", default="cpu", help="torch device (default cpu)")
    parser.add_argument("--prefix", default="", help="prepended to every tensor name, e.g. 'bert.'")
    args = parser.parse_args()

    if args.text:
        with open(args.text, encoding="utf-8") as f:
            sentences = [line.strip() for line in f if line.strip()]
    else:
        sentences = SENTENCES
    tokenizer = AutoTokenizer.from_pretrained(args.model)
    model = AutoModel.from_pretrained(args.model).to(args.device).eval()

    sums = {}

    def accumulate(name):
        def hook(module, inputs):
            x = inputs[0].detach().to(torch.float64).reshape(-1, module.in_features)
            sums[name] = sums.get(name, 0) + (x * x).sum(dim=0)

        return hook

    for name, module in model.named_modules():
        if isinstance(module, torch.nn.Linear):
            module.register_forward_pre_hook(accumulate(name))

    with torch.inference_mode():
        for sentence in sentences:
            batch = tokenizer(sentence, return_tensors="pt", truncation=True, max_length=args.max_length)
            model(**batch.to(args.device))

    norms = {f"{args.prefix}{name}.weight": total.sqrt().float().cpu() for name, total in sums.items()}
    save_file(norms, args.output)
    print(f"{args.output}: {len(norms)} Linear layers, {len(sentences)} sentences")


if __name__ == "__main__":
    main()
