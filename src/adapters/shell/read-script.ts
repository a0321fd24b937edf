import { literalWord, type Redirection, type ShellAssignment, type ShellConstruct, type ShellScript, type ShellWord, type StdinSource } from '../../domain/index.js';
import { getItems, getNode, getNodeType, getString, type GoNode } from './go-values.js';
import type { Operators } from './mvdan-library.js';
import { readHereDocument, readWord, type ReadContext, type WordReader } from './read-word.js';

/*
 * Walks mvdan/sh's syntax tree into the policy's ShellScript: every simple command wherever it
 * sits, with where its input comes from, every redirection, and the constructs that matter. A node
 * it does not know is noted as unknownSyntax, which the policy refuses: nothing is skipped silently.
 */

const INPUT_REDIRECTIONS = new Set(['<', '<>']);

// Reads a parsed file into a ShellScript.
export function readScript(file: GoNode, operators: Operators): ShellScript {
  const script: ShellScript = { commands: [], redirections: [], otherWords: [], constructs: [] };
  const constructs = new Set<ShellConstruct>();
  const reader = createReader(script, constructs, operators);
  reader.statements(file.Stmts, { stdin: { from: 'inherited' }, arithmetic: false, test: false });
  script.constructs = [...constructs];
  return script;
}

function createReader(script: ShellScript, constructs: Set<ShellConstruct>, operators: Operators): WordReader {
  const reader: WordReader = {
    statements: (list, context) => {
      for (const statement of getItems(list)) readStatement(statement, context);
    },
    arithmetic: (expression, context) => readArithmetic(expression, { ...context, arithmetic: true }),
    note: (construct) => constructs.add(construct),
    parameterAt: operators.parameterAt,
  };
  const word = (node: GoNode, context: ReadContext): ShellWord => readWord(node, context, reader);

  function readStatement(statement: GoNode, context: ReadContext): void {
    if (statement.Background === true) reader.note('background');
    if (statement.Coprocess === true) reader.note('coprocess');
    let stdin = context.stdin;
    for (const redirect of getItems(statement.Redirs)) stdin = readRedirect(redirect, context) ?? stdin;
    readCommand(statement.Cmd, { ...context, stdin });
  }

  // Records the redirection; returns the statement's new input when it sets one.
  function readRedirect(redirect: GoNode, context: ReadContext): StdinSource | undefined {
    const op = typeof redirect.Op === 'number' ? operators.redirections.get(redirect.Op) : undefined;
    const target = getNode(redirect, 'Word');
    if (op === undefined || !target) return void reader.note('unknownSyntax');
    const descriptor = getString(getNode(redirect, 'N')?.Value);
    const ofStdin = descriptor === '' || descriptor === '0';
    if (op === '<<' || op === '<<-') {
      reader.note('hereDoc');
      const body = getNode(redirect, 'Hdoc');
      const text = body ? readHereDocument(body, target, context, reader) : literalWord('');
      return ofStdin ? { from: 'text', text } : undefined;
    }
    const targetWord = word(target, context);
    if (op === '<<<') return ofStdin ? { from: 'text', text: targetWord } : undefined;
    script.redirections.push({ op, target: targetWord } satisfies Redirection);
    return INPUT_REDIRECTIONS.has(op) && ofStdin ? { from: 'file' } : undefined;
  }

  function readCommand(command: unknown, context: ReadContext): void {
    const node = command as GoNode;
    switch (getNodeType(command)) {
      case undefined: // a statement of redirections alone
        return;
      case 'CallExpr':
        script.commands.push({
          words: getItems(node.Args).map((arg) => word(arg, context)),
          assignments: getItems(node.Assigns).map((assign) => readAssignment(assign, context)),
          stdin: context.stdin,
        });
        return;
      case 'DeclClause':
        return readDeclaration(node, context);
      case 'BinaryCmd': {
        const op = typeof node.Op === 'number' ? operators.binaries.get(node.Op) : undefined;
        if (op === undefined) reader.note('unknownSyntax');
        readStatement(node.X as GoNode, context);
        readStatement(node.Y as GoNode, op === '|' || op === '|&' ? { ...context, stdin: { from: 'pipe' } } : context);
        return;
      }
      case 'Subshell':
        reader.note('subshell');
        return reader.statements(node.Stmts, context);
      case 'Block':
        return reader.statements(node.Stmts, context);
      case 'IfClause':
        reader.statements(node.Cond, context);
        reader.statements(node.Then, context);
        return readCommand(node.Else, context);
      case 'WhileClause':
        reader.statements(node.Cond, context);
        return reader.statements(node.Do, context);
      case 'ForClause':
        readLoop(node.Loop, context);
        return reader.statements(node.Do, context);
      case 'CaseClause':
        script.otherWords.push(word(node.Word as GoNode, context));
        for (const item of getItems(node.Items)) {
          for (const pattern of getItems(item.Patterns)) word(pattern, context);
          reader.statements(item.Stmts, context);
        }
        return;
      case 'FuncDecl':
        reader.note('function');
        return readStatement(node.Body as GoNode, context);
      case 'ArithmCmd':
        return reader.arithmetic(node.X, context);
      case 'LetClause':
        for (const expression of getItems(node.Exprs)) reader.arithmetic(expression, context);
        return;
      case 'TestClause':
        return readTest(node.X, { ...context, test: true });
      case 'TimeClause':
        if (getNodeType(node.Stmt)) readStatement(node.Stmt as GoNode, context);
        return;
      case 'CoprocClause':
        reader.note('coprocess');
        return readStatement(node.Stmt as GoNode, context);
      default:
        reader.note('unknownSyntax');
    }
  }

  // export, declare, local, readonly, typeset: a command whose words are assignments.
  function readDeclaration(node: GoNode, context: ReadContext): void {
    const words: ShellWord[] = [literalWord(getString(getNode(node, 'Variant')?.Value))];
    const assignments: ShellAssignment[] = [];
    for (const assign of getItems(node.Args)) {
      const value = getNode(assign, 'Value');
      if (assign.Naked !== true) assignments.push(readAssignment(assign, context));
      else if (value) words.push(word(value, context));
      else words.push(literalWord(getString(getNode(assign, 'Name')?.Value)));
    }
    script.commands.push({ words, assignments, stdin: context.stdin });
  }

  function readAssignment(assign: GoNode, context: ReadContext): ShellAssignment {
    if (getNodeType(assign.Index)) reader.arithmetic(assign.Index, context);
    const array = getNode(assign, 'Array');
    for (const element of getItems(array?.Elems)) {
      if (getNodeType(element.Index)) reader.arithmetic(element.Index, context);
      const value = getNode(element, 'Value');
      if (value) script.otherWords.push(word(value, context));
    }
    const value = getNode(assign, 'Value');
    const name = getString(getNode(assign, 'Name')?.Value);
    return value ? { name, value: word(value, context) } : { name };
  }

  function readLoop(loop: unknown, context: ReadContext): void {
    const node = loop as GoNode;
    const type = getNodeType(loop);
    if (type === 'WordIter') for (const item of getItems(node.Items)) script.otherWords.push(word(item, context));
    else if (type === 'CStyleLoop') for (const field of ['Init', 'Cond', 'Post']) reader.arithmetic(node[field], context);
    else reader.note('unknownSyntax');
  }

  function readArithmetic(expression: unknown, context: ReadContext): void {
    const node = expression as GoNode;
    switch (getNodeType(expression)) {
      case undefined:
        return;
      case 'Word':
        word(node, context);
        return;
      case 'BinaryArithm':
        readArithmetic(node.X, context);
        return readArithmetic(node.Y, context);
      case 'UnaryArithm':
      case 'ParenArithm':
        return readArithmetic(node.X, context);
      default:
        reader.note('unknownSyntax');
    }
  }

  function readTest(expression: unknown, context: ReadContext): void {
    const node = expression as GoNode;
    switch (getNodeType(expression)) {
      case undefined:
        return;
      case 'Word':
        script.otherWords.push(word(node, context));
        return;
      case 'BinaryTest':
        readTest(node.X, context);
        return readTest(node.Y, context);
      case 'UnaryTest':
      case 'ParenTest':
        return readTest(node.X, context);
      default:
        reader.note('unknownSyntax');
    }
  }

  return reader;
}
