// Canvas cannot use CSS variables, so the theme colours it needs are read once per theme change.

export interface ThemeColors {
  readonly foreground: string;
  readonly description: string;
  readonly error: string;
  readonly gridLine: string;
  /** Critical-path segments over the bars: the text colour, which contrasts with the background in every theme. */
  readonly criticalPath: string;
  readonly font: string;
}

export function readThemeColors(element: Element): ThemeColors {
  const style = getComputedStyle(element);
  const variable = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const fontSize = variable('--vscode-font-size', '13px');
  const fontFamily = variable('--vscode-font-family', 'system-ui, sans-serif');
  return {
    foreground: variable('--vscode-foreground', '#cccccc'),
    description: variable('--vscode-descriptionForeground', '#9d9d9d'),
    error: variable('--vscode-errorForeground', '#f14c4c'),
    gridLine: variable('--vscode-editorIndentGuide-background1', variable('--vscode-panel-border', 'rgba(128, 128, 128, 0.35)')),
    criticalPath: variable('--vscode-editor-foreground', variable('--vscode-foreground', '#cccccc')),
    font: `${Math.max(10, Number.parseFloat(fontSize) - 1)}px ${fontFamily}`,
  };
}
