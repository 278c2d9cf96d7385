import * as vscode from 'vscode';

/**
 * A quick pick that also accepts free text: what the user typed becomes the first item. Resolves to the
 * chosen value, or undefined when dismissed.
 */
export function pickOrType(options: {
  readonly title: string;
  readonly placeholder: string;
  readonly values: readonly string[];
  readonly typedLabel?: (text: string) => string;
}): Promise<string | undefined> {
  return new Promise((resolve) => {
    const pick = vscode.window.createQuickPick<vscode.QuickPickItem & { value: string }>();
    const fixed = options.values.map((value) => ({ label: value, value }));
    pick.title = options.title;
    pick.placeholder = options.placeholder;
    pick.items = fixed;
    pick.ignoreFocusOut = true;
    let settled = false;
    const finish = (value: string | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
      pick.dispose();
    };
    pick.onDidChangeValue((text) => {
      const typed = text.trim();
      const exact = fixed.some((item) => item.value === typed);
      pick.items = typed === '' || exact ? fixed : [{ label: options.typedLabel?.(typed) ?? typed, value: typed, alwaysShow: true }, ...fixed];
    });
    pick.onDidAccept(() => finish(pick.selectedItems[0]?.value ?? (pick.value.trim() || undefined)));
    pick.onDidHide(() => finish(undefined));
    pick.show();
  });
}
