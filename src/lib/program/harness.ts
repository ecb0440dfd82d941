// The Python that runs once in a fresh interpreter, before its one program: it blocks imports
// outside the standard library (and Pyodide's bridges to JavaScript) and defines the function the
// program runs through. Its last expression is that function. Nothing is undone after the program:
// the interpreter ends with it (host.ts).

/** Modules that reach JavaScript or the host, whatever sys.stdlib_module_names says. */
export const blockedModules = [
  'js',
  'pyodide',
  'pyodide_js',
  '_pyodide',
  '_pyodide_core',
  'micropip',
  'pyodide_http',
];

export const harness = String.raw`
import builtins, json, sys, traceback

_blocked = frozenset(${JSON.stringify(blockedModules)})
_allowed = frozenset(sys.stdlib_module_names) - _blocked


class _ImportGate:
    """First on sys.meta_path: a name outside the standard library never reaches another finder."""

    @staticmethod
    def find_spec(name, path=None, target=None):
        top = name.partition('.')[0]
        if top in _blocked:
            raise ModuleNotFoundError(
                f"No module named {top!r}: programs run without access to the browser or the host",
                name=name,
            )
        if top not in _allowed:
            raise ModuleNotFoundError(
                f"No module named {top!r}: programs can use only Python's standard library",
                name=name,
            )
        return None


sys.meta_path.insert(0, _ImportGate)
for _name in list(sys.modules):
    if _name.partition('.')[0] in _blocked:
        del sys.modules[_name]
# Pyodide's finder for JavaScript modules holds the 'js' and 'pyodide_js' proxies: drop them both.
for _finder in list(sys.meta_path):
    if type(_finder).__name__ == 'JsFinder':
        _finder.jsproxies.clear()
        sys.meta_path.remove(_finder)

def _program_traceback(error):
    """The error with the program's own frames only: the harness is not the person's concern."""
    te = traceback.TracebackException.from_exception(error)
    te.stack = traceback.StackSummary.from_list(
        [frame for frame in te.stack if frame.filename == '<program>']
    )
    return ''.join(te.format(chain=False)).rstrip()


def _run(code):
    """Runs one program in fresh globals; calls solution() when the program defines it."""
    namespace = {'__name__': '__main__', '__builtins__': builtins}
    failure, message, returned = None, '', None
    try:
        exec(compile(code, '<program>', 'exec'), namespace)
        solution = namespace.get('solution')
        if callable(solution):
            value = solution()
            if value is not None:
                returned = str(value)
    except SystemExit as error:
        if error.code not in (None, 0):
            failure, message = 'exception', f'SystemExit: {error.code}'
    except MemoryError:
        failure = 'memory'
    except BaseException as error:
        failure, message = 'exception', _program_traceback(error)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except BaseException:
                pass  # past the output limit: the host reports that
    return json.dumps([failure, message, returned])


_run
`;
