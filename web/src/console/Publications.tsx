/**
 * Publications: the list (newest first, refined by the ranking's fields), and a publication's
 * frozen rows with its SHA-256 hash and the chain of publications it supersedes.
 */
import { api } from './api.ts';
import { cm } from './messages.ts';
import { ConsoleLink, DateTimeText, personName, Show, useResource } from './parts.tsx';
import { RankingTable } from './Rankings.tsx';
import { unitName } from './units.ts';

export function PublicationsScreen() {
  const m = cm.value;
  const [list, reload] = useResource('publications', () => api.listPublications({ limit: '50' }));
  return (
    <>
      <h1>{m.publicationsTitle}</h1>
      <Show what={list} retry={() => void reload()}>
        {(body) =>
          body.items.length === 0 ? (
            <p>{m.publicationsEmpty}</p>
          ) : (
            <table class="grid">
              <thead>
                <tr>
                  <th scope="col">{m.createdAt}</th>
                  <th scope="col">{m.template}</th>
                  <th scope="col">{m.period}</th>
                  <th scope="col">{m.parent}</th>
                  <th scope="col">{m.kind}</th>
                  <th scope="col" class="num">
                    {m.rows}
                  </th>
                  <th scope="col">{m.hash}</th>
                </tr>
              </thead>
              <tbody>
                {body.items.map((publication) => (
                  <tr key={publication.publicationId} data-publication={publication.publicationId}>
                    <th scope="row">
                      <ConsoleLink to={`/console/publications/${publication.publicationId}`}>
                        <DateTimeText instant={publication.createdAt} />
                      </ConsoleLink>
                    </th>
                    <td>{publication.templateId}</td>
                    <td>{publication.period}</td>
                    <td>{unitName(publication.parentId)}</td>
                    <td>{publication.kind}</td>
                    <td class="num">{publication.rowCount}</td>
                    <td>
                      <code>{publication.hash.slice(0, 16)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Show>
    </>
  );
}

export function PublicationScreen(props: { publicationId: string }) {
  const m = cm.value;
  const [publication, reload] = useResource(props.publicationId, () =>
    api.getPublication(props.publicationId),
  );
  return (
    <Show what={publication} retry={() => void reload()}>
      {(body) => (
        <>
          <h1>{m.publicationTitle(body.period)}</h1>
          <dl class="facts">
            <dt>{m.createdAt}</dt>
            <dd>
              <DateTimeText instant={body.createdAt} />
            </dd>
            <dt>{m.createdBy}</dt>
            <dd>{personName(body.createdBy, [], body.createdByName)}</dd>
            <dt>{m.template}</dt>
            <dd>{body.templateId}</dd>
            <dt>{m.parent}</dt>
            <dd>{`${unitName(body.parentId)} · ${body.kind}`}</dd>
            <dt>{m.rows}</dt>
            <dd>{body.rowCount}</dd>
            <dt>{m.hash}</dt>
            <dd>
              <code data-testid="publication-hash">{body.hash}</code>
            </dd>
            <dt>{m.supersedes}</dt>
            <dd>
              {body.supersedes === null ? (
                m.supersedesNone
              ) : (
                <ConsoleLink to={`/console/publications/${body.supersedes}`}>{body.supersedes}</ConsoleLink>
              )}
            </dd>
          </dl>
          <RankingTable rows={body.rows} query={{ templateId: body.templateId, period: body.period }} />
        </>
      )}
    </Show>
  );
}
