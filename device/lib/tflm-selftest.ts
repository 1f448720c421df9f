// Misuse of the tflm and assets bindings from JS, on the device: each probe does one wrong
// thing and reports what was thrown (class, code, message) so the host test
// (test/xs/tflm-binding.test.ts) can check the message. A crash or an XS abort would end
// the run instead, which the test also catches. Run by the app apps/binding_selftest.
import { asset, int8 } from 'assets';
import { streamReference } from 'bench';
import { Interpreter, TflmError, arenaBytes, type Kernels } from 'tflm';

export interface Probe {
  name: string;
  threw: boolean;
  errorClass?: string;
  code?: string;
  message?: string;
  bytesNeeded?: number;
  value?: unknown;
}

function probe(name: string, action: () => unknown): Probe {
  try {
    const value = action();
    return { name, threw: false, value };
  } catch (e) {
    const error = e as Error;
    const out: Probe = {
      name,
      threw: true,
      errorClass: error?.constructor?.name ?? typeof e,
      message: String(error?.message ?? e),
    };
    if (e instanceof TflmError) {
      out.code = e.code;
      out.bytesNeeded = e.bytesNeeded;
    }
    return out;
  }
}

export function run(): Probe[] {
  const probes: Probe[] = [];
  probes.push(probe('arena sizes', () => [arenaBytes('main'), arenaBytes('aux')]));
  probes.push(probe('unknown model asset', () => new Interpreter('models/nope.tflite')));
  probes.push(probe('model name not a string', () => new Interpreter(42 as unknown as string)));
  probes.push(
    probe('bad kernels option', () => new Interpreter('models/mnist_int8.tflite', { kernels: 'fast' as Kernels })),
  );
  probes.push(probe('bad arena option', () => new Interpreter('models/mnist_int8.tflite', { arena: 'big' as 'main' })));
  probes.push(probe('not a model', () => new Interpreter('mnist/digits.u8')));
  probes.push(
    probe(
      'arena too small (person_detect in aux)',
      () => new Interpreter('models/person_detect.tflite', { arena: 'aux' }),
    ),
  );

  const mnist = new Interpreter('models/mnist_int8.tflite', { profile: true });
  probes.push(probe('input index out of range', () => mnist.input(1)));
  probes.push(probe('output index negative', () => mnist.output(-1)));
  probes.push(probe('input index not an integer', () => mnist.input(0.5)));
  probes.push(probe('input index not a number', () => mnist.input('0' as unknown as number)));
  probes.push(
    probe('input view is cached and zero copy', () => {
      const a = mnist.input(0);
      const b = mnist.input(0);
      a.data.fill(7);
      return a === b && a.data.length === 784 && a.shape.join('x') === '1x28x28x1' && b.data[783] === 7;
    }),
  );
  probes.push(
    probe('profile lists every op', () => {
      mnist.invoke();
      const ops = mnist.profile();
      return ops.length === mnist.opCount && ops.every((o) => typeof o.op === 'string' && o.ticks >= 0)
        ? ops.map((o) => o.op).join(',')
        : null;
    }),
  );
  probes.push(
    probe('arena figures', () => {
      const a = mnist.arena;
      return a.total === a.head + a.tail && a.size === arenaBytes('main') ? a.total : null;
    }),
  );

  const hello = new Interpreter('models/hello_world_int8.tflite', { arena: 'aux' });
  const helloInvoker = hello.invoker();
  probes.push(
    probe('invoker runs the model', () => {
      // The input is set before each run: the planner may reuse its bytes after op 0.
      hello.input(0).data[0] = 0;
      helloInvoker();
      const viaInvoker = hello.output(0).data[0];
      hello.input(0).data[0] = 0;
      hello.invoke();
      return [typeof helloInvoker, viaInvoker === hello.output(0).data[0]];
    }),
  );
  probes.push(probe('profile when off', () => hello.profile()));
  const oldView = hello.input(0).data;
  const replacement = new Interpreter('models/hello_world_int8.tflite', { arena: 'aux' });
  probes.push(probe('invoke on a replaced interpreter', () => hello.invoke()));
  probes.push(probe('invoker of a replaced interpreter', () => helloInvoker()));
  probes.push(probe('invoker of a replaced interpreter, made after', () => hello.invoker()));
  probes.push(probe('input on a replaced interpreter', () => hello.input(0)));
  probes.push(probe('arena of a replaced interpreter', () => hello.arena));
  probes.push(probe('old view is detached', () => [oldView.length, oldView[0] === undefined]));
  probes.push(probe('set() into a detached view', () => oldView.set([1])));
  probes.push(
    probe('replacement still works', () => {
      replacement.input(0).data[0] = 0;
      replacement.invoke();
      return replacement.output(0).data.length;
    }),
  );
  replacement.close();
  probes.push(probe('invoke after close', () => replacement.invoke()));
  probes.push(
    probe('main slot unaffected by aux', () => {
      mnist.invoke();
      return mnist.output(0).data.length;
    }),
  );
  probes.push(
    probe('failed creation still replaces', () => {
      try {
        new Interpreter('models/nope.tflite');
      } catch {
        /* expected */
      }
      return mnist.closed;
    }),
  );
  probes.push(probe('invoke on the interpreter a failed creation replaced', () => mnist.invoke()));
  // C takes the arenas back behind JS's back (the stream app's C reference borrows
  // them): only the engine-side handle check can catch the next invoke.
  const borrowed = new Interpreter('models/hello_world_int8.tflite');
  const borrowedView = borrowed.input(0).data;
  probes.push(
    probe('invoke after C borrowed the arena', () => {
      borrowed.invoke();
      streamReference('optimized');
      return borrowed.invoke();
    }),
  );
  probes.push(probe('view after C borrowed the arena', () => [borrowed.closed, borrowedView.length]));

  probes.push(probe('unknown asset', () => asset('no/such.bin')));
  probes.push(probe('asset name not a string', () => asset(7 as unknown as string)));
  probes.push(
    probe('store into a flash asset', () => {
      const bytes = int8('mnist/expected.i8');
      const before = bytes[0];
      bytes[0] = before === 1 ? 2 : 1;
      return bytes[0] === before ? 'unchanged' : 'CHANGED';
    }),
  );
  probes.push(probe('set() into a flash asset', () => asset('mnist/expected.i8').set([1])));
  probes.push(
    probe(
      'asset is the same view',
      () => asset('mnist/digits.u8') === asset('mnist/digits.u8') && asset('mnist/digits.u8').length === 7840,
    ),
  );
  return probes;
}

export function runJson(): string {
  return JSON.stringify(run());
}
