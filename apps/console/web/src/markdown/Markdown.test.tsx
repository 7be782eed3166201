import { render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Markdown } from './Markdown';

describe('Markdown', () => {
  it('renders GitHub markdown: headings, emphasis, tables, code, links that open apart', async () => {
    const text = [
      '**Owner:** ada',
      '',
      '### Verification: 1 command passed',
      '',
      '| command | result |',
      '| --- | --- |',
      '| `npm test` | passed |',
      '',
      'See [the docs](https://example.com/docs).',
    ].join('\n');
    render(<Markdown text={text} />);
    expect(
      await screen.findByRole('heading', { level: 3, name: 'Verification: 1 command passed' }),
    ).toBeVisible();
    expect(screen.getByText('Owner:').tagName).toBe('STRONG');
    const table = screen.getByRole('table');
    expect(within(table).getByRole('columnheader', { name: 'command' })).toBeInTheDocument();
    expect(within(table).getByText('npm test').tagName).toBe('CODE');
    const link = screen.getByRole('link', { name: 'the docs' });
    expect(link).toHaveAttribute('href', 'https://example.com/docs');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
  });

  it('shows raw HTML in the text as nothing it runs', async () => {
    const { container } = render(
      <Markdown text={'Hi <img src=x onerror="alert(1)"> <script>alert(2)</script> there'} />,
    );
    await screen.findByText(/Hi/);
    expect(container.querySelector('img')).toBeNull();
    expect(container.querySelector('script')).toBeNull();
  });

  it('refuses javascript: links', async () => {
    render(<Markdown text="[click](javascript:alert(1))" />);
    const link = await screen.findByText('click');
    expect(link.closest('a')?.getAttribute('href') ?? '').not.toMatch(/^javascript:/i);
  });
});
