"""``python -m rlvr_verify <mine|serve|check|run>``; cwd must be the workspace root."""
import sys

# Never write into the workspace (it is read-only in the sandbox, and must stay pristine outside).
sys.dont_write_bytecode = True

from .cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
