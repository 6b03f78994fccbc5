// A small XML well-formedness check for the SVG strings the charts produce (no XML parser is a
// dependency): every tag is closed in order, attributes are quoted, and text has no bare '<' or '&'.
export function xmlProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|<!--[\s\S]*?-->|<|&(?!(?:amp|lt|gt|quot|#39|#\d+|#x[0-9a-f]+);)/gi;
  let match: RegExpExecArray | null;
  while ((match = token.exec(xml)) !== null) {
    const [whole, closing, name, , selfClosing] = match;
    if (whole === '<') problems.push(`bare '<' or malformed tag at ${match.index}: ${xml.slice(match.index, match.index + 60)}`);
    else if (whole === '&') problems.push(`unescaped '&' at ${match.index}`);
    else if (whole.startsWith('<!--')) continue;
    else if (closing) {
      const open = stack.pop();
      if (open !== name) problems.push(`</${name}> closes <${open}> at ${match.index}`);
    } else if (!selfClosing) stack.push(name);
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}
