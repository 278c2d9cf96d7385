// Canvas cannot use CSS variables, so the theme colours it needs are read once per theme change.

export interface ThemeColors {
  readonly foreground: string;
  readonly description: string;
  readonly error: string;
  readonly gridLine: string;
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
    font: `${Math.max(10, Number.parseFloat(fontSize) - 1)}px ${fontFamily}`,
  };
}
